using JobPlatform.Core;
using JobPlatform.TestSupport;

namespace JobPlatform.Core.Tests;

/// <summary>Starts an engine on a test schema and stops it at the end.</summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    private EngineHarness(JobEngine engine) => Engine = engine;

    public JobEngine Engine { get; }

    public static async Task<EngineHarness> StartAsync(TestDatabase db, JobHandlerRegistry? handlers = null, Action<JobEngineOptions>? configure = null, Func<double>? jitter = null)
    {
        var options = db.EngineOptions();
        configure?.Invoke(options);
        var engine = new JobEngine(db.DataSource, options, handlers, jitter: jitter ?? (() => 0.5));
        await engine.StartAsync();
        return new EngineHarness(engine);
    }

    public async ValueTask DisposeAsync() => await Engine.DisposeAsync();
}

/// <summary>Args for test handlers.</summary>
internal sealed record TestArgs(string Mode = "ok", int Value = 0) : IJobArgs
{
    public static string Kind => "test.args";
}

internal static class JobWait
{
    public static Task<Job> ForStateAsync(JobClient client, Guid id, JobState state, int seconds = 20) =>
        ForAsync(client, id, j => j.State == state, $"job {id} to be {state}", seconds);

    public static async Task<Job> ForAsync(JobClient client, Guid id, Func<Job, bool> predicate, string what, int seconds = 20)
    {
        Job? job = null;
        await TestDatabase.WaitUntilAsync(async () =>
        {
            job = await client.GetAsync(id);
            return job is not null && predicate(job);
        }, TimeSpan.FromSeconds(seconds), what + $" (last seen: {job?.State})");
        return job!;
    }
}
