using JobPlatform.Core.Alerts;
using JobPlatform.Hosting.Alerts;
using JobPlatform.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace JobPlatform.Scheduler.Tests;

/// <summary>The outbox's delivery against a real HTTP server standing in for Slack, on real PostgreSQL.</summary>
public sealed class AlertDeliveryTests
{
    private static (AlertStore Store, AlertDelivery Delivery) Create(TestDatabase db, FakeSlack slack, TimeSpan? interval = null)
    {
        var options = new AlertOptions { Slack = new SlackOptions { WebhookUrl = slack.Hook() }, MinimumMessageInterval = interval ?? TimeSpan.FromSeconds(1) };
        var store = new AlertStore(db.CreateClient());
        var delivery = new AlertDelivery(store, AlertChannels.From(options), options, new HttpClient { Timeout = TimeSpan.FromSeconds(5) },
            TimeProvider.System, NullLogger<AlertDelivery>.Instance);
        return (store, delivery);
    }

    private static Task<long> EnqueueAsync(AlertStore store, string channel = "slack") =>
        store.EnqueueAsync(new NewAlertNotification(channel, "firing", "QueueLatency", ["mail"], AlertStore.FormatMessage(new AlertMessage
        {
            Kind = "firing", Rule = "QueueLatency", Title = "[FIRING] QueueLatency: mail", Summary = "[FIRING] QueueLatency — mail: oldest 7 min",
            Items = [new AlertItem { Subject = "mail", Text = "oldest available job waiting 7 min (threshold 5 min)" }],
        })));

    private static async Task<AlertNotification> NotificationAsync(AlertStore store, long id) =>
        (await store.ListNotificationsAsync(null, 100)).Single(n => n.Id == id);

    [Fact]
    public async Task A_500_and_then_a_429_with_Retry_After_deliver_the_message_once_after_the_wait()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var slack = await FakeSlack.StartAsync();
        var (store, delivery) = Create(db, slack);
        var id = await EnqueueAsync(store);
        slack.AnswerNext(new SlackAnswer(500, "rollup_error"), new SlackAnswer(429, """{"retry_after":2,"ok":false,"error":"rate_limited"}""", RetryAfterSeconds: 2));

        await delivery.DeliverDueAsync(CancellationToken.None);

        Assert.Equal([500, 429, 200], slack.Requests.Select(r => r.Status));
        Assert.True(slack.Requests[2].At - slack.Requests[1].At >= TimeSpan.FromSeconds(1.9), "the 429's Retry-After was not waited out");
        Assert.Single(slack.Delivered);
        Assert.StartsWith("[FIRING] QueueLatency", slack.Delivered[0].Text);
        Assert.Equal("sent", (await NotificationAsync(store, id)).State);
        await delivery.DeliverDueAsync(CancellationToken.None);
        Assert.Equal(3, slack.Requests.Count);
    }

    [Fact]
    public async Task A_404_channel_not_found_is_failed_for_good_with_slacks_answer_and_not_retried()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var slack = await FakeSlack.StartAsync();
        var (store, delivery) = Create(db, slack);
        var id = await EnqueueAsync(store);
        slack.AnswerNext(new SlackAnswer(404, "channel_not_found"));

        await delivery.DeliverDueAsync(CancellationToken.None);
        await delivery.DeliverDueAsync(CancellationToken.None);

        var n = await NotificationAsync(store, id);
        Assert.Equal(("failed", 1, "HTTP 404 channel_not_found"), (n.State, n.Attempts, n.LastError));
        Assert.Single(slack.Requests);
        Assert.Equal(1, (await store.CountAsync()).FailedNotifications);
        Assert.Single(await store.ListNotificationsAsync(null, 10, undeliveredOnly: true));
    }

    [Fact]
    public async Task A_channel_that_keeps_failing_is_retried_later_not_in_a_loop()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var slack = await FakeSlack.StartAsync();
        var (store, delivery) = Create(db, slack);
        var id = await EnqueueAsync(store);
        slack.AnswerNext(Enumerable.Repeat(new SlackAnswer(503, "unavailable"), 10).ToArray());

        await delivery.DeliverDueAsync(CancellationToken.None);
        await delivery.DeliverDueAsync(CancellationToken.None);

        var n = await NotificationAsync(store, id);
        Assert.Equal("pending", n.State);
        Assert.Equal("HTTP 503 unavailable", n.LastError);
        Assert.True(n.NextAttemptAt > DateTimeOffset.UtcNow.AddSeconds(20), $"next attempt at {n.NextAttemptAt:O}");
        Assert.Equal(4, slack.Requests.Count);
    }

    [Fact]
    public async Task Messages_to_one_channel_are_at_least_the_minimum_interval_apart_and_unknown_channels_fail()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var slack = await FakeSlack.StartAsync();
        var (store, delivery) = Create(db, slack, TimeSpan.FromSeconds(1));
        await EnqueueAsync(store);
        await EnqueueAsync(store);
        await EnqueueAsync(store);
        var unknown = await EnqueueAsync(store, "pager");

        await delivery.DeliverDueAsync(CancellationToken.None);

        Assert.Equal(3, slack.Delivered.Count);
        for (var i = 1; i < 3; i++)
        {
            Assert.True(slack.Delivered[i].At - slack.Delivered[i - 1].At >= TimeSpan.FromSeconds(0.95), "two messages within a second");
        }

        var n = await NotificationAsync(store, unknown);
        Assert.Equal("failed", n.State);
        Assert.Contains("channel 'pager' is not configured", n.LastError);
    }
}
