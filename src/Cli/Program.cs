namespace JobPlatform.Cli;

/// <summary>Entry point of <c>jobctl</c>; everything else lives in <see cref="JobCtl"/> and the commands.</summary>
internal static class Program
{
    private static Task<int> Main(string[] args) =>
        JobCtl.RunAsync(args, CliContext.ForProcess());

    /// <summary>Runs jobctl in-process with its streams captured (tests). <paramref name="environment"/>, when
    /// given, replaces the process environment.</summary>
    internal static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr,
        IReadOnlyDictionary<string, string>? environment = null, TextReader? stdin = null) =>
        JobCtl.RunAsync(args, CliContext.ForCapture(stdout, stderr, environment, stdin));
}
