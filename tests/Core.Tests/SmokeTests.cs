using JobPlatform.Core;
using JobPlatform.TestSupport;

namespace JobPlatform.Core.Tests;

public sealed class SmokeTests
{
    [Fact]
    public async Task Enqueued_noop_job_is_completed_by_the_engine()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        await using var engine = await EngineHarness.StartAsync(db);
        var result = await client.EnqueueAsync(new NoopArgs());
        var job = await JobWait.ForStateAsync(client, result.Id, JobState.Completed);
        Assert.Equal(1, job.Attempt);
        Assert.NotNull(job.FinalizedAt);
        Assert.Equal(engine.Engine.WorkerId, job.AttemptedBy);
        var completed = await db.ScalarAsync<long>("SELECT coalesce(sum(completed),0) FROM {schema}.stats_minute");
        Assert.Equal(1, completed);
    }
}
