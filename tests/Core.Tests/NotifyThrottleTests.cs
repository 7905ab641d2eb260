using System.Diagnostics;
using JobPlatform.Core;
using JobPlatform.TestSupport;

namespace JobPlatform.Core.Tests;

public sealed class NotifyThrottleTests
{
    [Fact]
    public async Task One_notify_per_queue_per_interval()
    {
        var throttle = new NotifyThrottle(TimeSpan.FromMilliseconds(200));
        Assert.True(throttle.ShouldNotify("a"));
        Assert.False(throttle.ShouldNotify("a"));
        Assert.True(throttle.ShouldNotify("b"));
        await Task.Delay(250);
        Assert.True(throttle.ShouldNotify("a"));
        Assert.True(new NotifyThrottle(TimeSpan.Zero).ShouldNotify("a") && new NotifyThrottle(TimeSpan.Zero).ShouldNotify("a"));
    }

    [Fact]
    public async Task Job_whose_notify_was_throttled_is_still_picked_up_within_the_hot_window()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient(new JobClientOptions { NotifyThrottle = TimeSpan.FromMinutes(10) });
        var started = new System.Collections.Concurrent.ConcurrentDictionary<int, long>();
        var handlers = new JobHandlerRegistry().Register<TestArgs>((args, _, _) =>
        {
            started[args.Value] = Stopwatch.GetTimestamp();
            return Task.CompletedTask;
        });
        // Long polls and a slow stager: only NOTIFY or the hot window can explain a quick pickup.
        await using var engine = await EngineHarness.StartAsync(db, handlers, o =>
            (o.PollInterval, o.ListeningPollInterval, o.PromoteInterval, o.HotPollWindow) =
            (TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2)));
        await Task.Delay(300); // let the listener connect
        await client.EnqueueAsync(new TestArgs(Value: 1));      // notifies
        await TestDatabase.WaitUntilAsync(() => Task.FromResult(started.ContainsKey(1)), TimeSpan.FromSeconds(5), "first job");
        var second = Stopwatch.GetTimestamp();
        await client.EnqueueAsync(new TestArgs(Value: 2));      // throttled: no NOTIFY
        await TestDatabase.WaitUntilAsync(() => Task.FromResult(started.ContainsKey(2)), TimeSpan.FromSeconds(5), "second job");
        Assert.True(Stopwatch.GetElapsedTime(second, started[2]) < TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Job_enqueued_without_notify_is_woken_by_the_leaders_stager_not_the_long_poll()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient(new JobClientOptions { Notify = false });
        await using var engine = await EngineHarness.StartAsync(db, configure: o =>
            (o.PollInterval, o.ListeningPollInterval, o.PromoteInterval) = (TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(300)));
        await TestDatabase.WaitUntilAsync(() => Task.FromResult(engine.Engine.IsLeader), TimeSpan.FromSeconds(5), "leadership");
        await Task.Delay(500); // the listener is up and the queue has gone idle

        var enqueued = Stopwatch.GetTimestamp();
        var id = (await client.EnqueueAsync(new NoopArgs())).Id;
        await JobWait.ForStateAsync(client, id, JobState.Completed, seconds: 10);
        Assert.True(Stopwatch.GetElapsedTime(enqueued) < TimeSpan.FromSeconds(5), "found only by the 60 s poll");
    }
}
