using System.Reflection;
using Hangfire;
using Hangfire.Common;
using Newtonsoft.Json.Linq;

namespace JobPlatform.Dashboard.Storage;

/// <summary>
/// The method the Hangfire dashboard shows for a JobPlatform job: JobPlatform jobs have a kind and JSON args, not
/// a .NET method, and the dashboard names a job after its method. The display attribute makes the kind the job's
/// name everywhere, and the details page prints the call with the args. Never invoked.
/// </summary>
public static class JobPlatformKind
{
    private static readonly MethodInfo RunMethod = typeof(JobPlatformKind).GetMethod(nameof(Run))!;

    /// <summary>Stands for a job of <paramref name="kind"/> with <paramref name="args"/>; it runs on the JobPlatform engine, never here.</summary>
    [JobDisplayName("{0}")]
    public static void Run(string kind, JToken args) =>
        throw new NotSupportedException($"Jobs of kind '{kind}' run on the JobPlatform engine, not through Hangfire.");

    /// <summary>The Hangfire job that presents <paramref name="kind"/> and <paramref name="argsJson"/>.</summary>
    public static Job For(string kind, string argsJson)
    {
        JToken args;
        try
        {
            args = JToken.Parse(argsJson);
        }
        catch (Newtonsoft.Json.JsonException)
        {
            args = new JValue(argsJson);
        }

        return new Job(typeof(JobPlatformKind), RunMethod, kind, args);
    }
}
