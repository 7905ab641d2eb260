using System.Text.Json;
using JobPlatform.Cli;
using JobPlatform.TestSupport;

namespace JobPlatform.Cli.Tests;

/// <summary>What one in-process run of jobctl returned and printed.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Err)
{
    /// <summary>Stderr lines, without the trailing empty one.</summary>
    public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public JsonElement Json() => JsonDocument.Parse(Out).RootElement;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Err}";
}

/// <summary>Runs jobctl in-process, the way a shell would, with captured output.</summary>
internal static class Jobctl
{
    /// <summary>An empty environment: no connection string, schema or debug flag leaks in from the test process.</summary>
    public static readonly IReadOnlyDictionary<string, string> NoEnvironment = new Dictionary<string, string>();

    public static async Task<CliResult> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exitCode = await Program.RunAsync(args, stdout, stderr, environment ?? NoEnvironment);
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs a command against this test's schema.</summary>
    public static Task<CliResult> RunAsync(this TestDatabase db, params string[] args) =>
        RunWithEnvironmentAsync(null, [.. args, "--database", db.ConnectionString, "--schema", db.Schema]);

    /// <summary>Runs a command that must succeed; fails the test with its output otherwise.</summary>
    public static async Task<CliResult> RunOkAsync(this TestDatabase db, params string[] args)
    {
        var result = await db.RunAsync(args);
        Assert.True(result.ExitCode == 0, $"jobctl {string.Join(' ', args)} failed: {result}");
        return result;
    }

    /// <summary>Job counts per state, read through <c>jobctl stats --json</c>.</summary>
    public static async Task<Dictionary<string, long>> StateCountsAsync(this TestDatabase db)
    {
        var stats = (await db.RunOkAsync("stats", "--json")).Json();
        return stats.GetProperty("states").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
    }
}
