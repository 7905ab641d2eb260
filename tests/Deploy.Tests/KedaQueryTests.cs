using JobPlatform.Core;
using JobPlatform.Core.Monitoring;
using JobPlatform.TestSupport;

namespace JobPlatform.Deploy.Tests;

/// <summary>
/// The production overlay's KEDA triggers, run on a real PostgreSQL: they read the same signal the QueueLatency and
/// QueueDepth alerts read (the scheduler's <see cref="JobMonitor.GetQueuesAsync"/>, which the alert evaluator judges),
/// so workers scale on what pages on-call.
/// </summary>
public sealed class KedaQueryTests
{
    [Fact]
    public async Task The_latency_and_depth_triggers_read_what_the_alerts_read_and_nothing_for_a_paused_queue()
    {
        var (latencySql, depthSql) = Triggers();
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient(new JobClientOptions { HandOff = false });
        var monitor = new JobMonitor(client);

        // Nothing waits: both triggers say 0, so KEDA does not activate.
        Assert.Equal(0m, await db.ScalarAsync<decimal>(latencySql));
        Assert.Equal(0m, await db.ScalarAsync<decimal>(depthSql));

        var ids = (await client.EnqueueManyAsync(Enumerable.Range(0, 30).Select(_ => new NoopArgs()))).Select(r => r.Id).ToArray();
        await db.ExecuteAsync("UPDATE {schema}.jobs SET scheduled_at = now() - interval '95 seconds' WHERE id = ANY($1)", ids[..10]);
        // A job due later is not waiting yet: it counts neither in the depth nor in the age.
        await client.EnqueueAsync(new NoopArgs(), new EnqueueOptions { Delay = TimeSpan.FromHours(1) });

        var latency = await db.ScalarAsync<double>(latencySql);
        var depth = await db.ScalarAsync<long>(depthSql);
        var queue = (await monitor.GetQueuesAsync()).Single(q => q.Name == "default");
        Assert.Equal(queue.Available, depth);
        Assert.Equal(30, depth);
        Assert.InRange(latency, queue.OldestAvailableAge.TotalSeconds - 2, queue.OldestAvailableAge.TotalSeconds + 2);
        Assert.InRange(latency, 95, 110);

        // A paused queue raises no latency alert, and KEDA does not add workers that would not fetch from it.
        await client.PauseQueueAsync("default");
        Assert.True((await monitor.GetQueuesAsync()).Single(q => q.Name == "default").Paused);
        Assert.Equal(0m, await db.ScalarAsync<decimal>(latencySql));
        Assert.Equal(0m, await db.ScalarAsync<decimal>(depthSql));
    }

    /// <summary>The queries of the production ScaledObject's triggers for queue <c>default</c>, in the test's schema.</summary>
    private static (string Latency, string Depth) Triggers()
    {
        var objects = Manifests.Render("production");
        var schema = objects.Single(o => o.Kind() == "ConfigMap").Map("data").Str("JobPlatform__Schema");
        var triggers = objects.Single(o => o.Kind() == "ScaledObject").Map("spec").Seq("triggers").ToList();
        string Query(string name)
        {
            var query = triggers.Single(t => t.StrOrNull("name") == name).Map("metadata").Str("query");
            Assert.Contains($"FROM {schema}.dashboard_queues(", query);
            return query.Replace($"FROM {schema}.", "FROM {schema}.", StringComparison.Ordinal);
        }

        return (Query("default-latency"), Query("default-depth"));
    }
}
