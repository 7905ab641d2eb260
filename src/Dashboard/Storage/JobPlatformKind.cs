using System.Reflection;
using Hangfire;
using Hangfire.Common;

namespace JobPlatform.Dashboard.Storage;

/// <summary>
/// The method the Hangfire dashboard shows for a JobPlatform job: JobPlatform jobs have a kind and JSON args, not
/// a .NET method, and the dashboard names a job after its method. The display attribute makes the kind the job's
/// name everywhere, and the details page prints the call with the args as a JSON string (its Parameters table shows
/// them indented). Never invoked.
/// </summary>
public static class JobPlatformKind
{
    private static readonly MethodInfo RunMethod = typeof(JobPlatformKind).GetMethod(nameof(Run))!;

    /// <summary>Stands for a job of <paramref name="kind"/> with <paramref name="args"/>; it runs on the JobPlatform engine, never here.</summary>
    [JobDisplayName("{0}")]
    public static void Run(string kind, string args) =>
        throw new NotSupportedException($"Jobs of kind '{kind}' run on the JobPlatform engine, not through Hangfire.");

    /// <summary>The Hangfire job that presents <paramref name="kind"/> and <paramref name="argsJson"/>.</summary>
    public static Job For(string kind, string argsJson) => new(typeof(JobPlatformKind), RunMethod, kind, argsJson);
}
