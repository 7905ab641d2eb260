using JobPlatform.Core.Alerts;
using JobPlatform.Hosting.Alerts;
using JobPlatform.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace JobPlatform.Cli.Tests;

public sealed class AlertsTests
{
    private static async Task<AlertStore> FiringAsync(TestDatabase db)
    {
        var store = new AlertStore(db.CreateClient());
        var rules = AlertRules.Resolve(new AlertOptions { Slack = new SlackOptions { WebhookUrl = "https://hooks.example/x" } }, ["slack"]);
        await store.SaveRulesAsync(rules.Select(r => (r.Name, r.Enabled, r.SettingsJson())).ToList());
        await store.SaveChannelsAsync([("slack", "slack")]);
        var changes = new AlertChanges();
        var now = DateTimeOffset.UtcNow;
        changes.Upserts.Add(new AlertState("QueueLatency", "mail", AlertStatus.Firing, now.AddMinutes(-8), now.AddMinutes(-7), 480, """{"available":"12"}""", now, now));
        changes.Events.Add(("QueueLatency", "mail", "firing", 480, """{"available":"12"}"""));
        await store.ApplyAsync(changes);
        return store;
    }

    [Fact]
    public async Task List_and_history_show_the_rules_what_fires_and_what_happened()
    {
        await using var db = await TestDatabase.CreateAsync();
        Assert.Contains("no scheduler has evaluated alerts yet", (await db.RunOkAsync("alerts", "list")).Out);
        await FiringAsync(db);

        var list = (await db.RunOkAsync("alerts", "list")).Out;
        Assert.Contains("QueueLatency", list);
        Assert.Contains("5 min", list);
        Assert.Contains("firing", list);
        Assert.Contains("available 12", list);
        var json = (await db.RunOkAsync("alerts", "list", "--json")).Json();
        Assert.Equal("mail", json.GetProperty("alerts")[0].GetProperty("subject").GetString());
        Assert.Equal("slack", json.GetProperty("channels")[0].GetProperty("name").GetString());
        Assert.DoesNotContain("hooks.example", json.ToString());
        Assert.Contains("firing", (await db.RunOkAsync("alerts", "history")).Out);
    }

    [Fact]
    public async Task Test_puts_a_message_in_the_outbox_waits_for_the_scheduler_to_deliver_it_and_says_so()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var slack = await FakeSlack.StartAsync();
        var none = await db.RunAsync("alerts", "test");
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("no alert channel is configured on the scheduler", none.Err);

        var store = await FiringAsync(db);
        var options = new AlertOptions { Slack = new SlackOptions { WebhookUrl = slack.Hook() } };
        var delivery = new AlertDelivery(store, AlertChannels.From(options), options, new HttpClient(), TimeProvider.System, NullLogger<AlertDelivery>.Instance);
        var test = db.RunAsync("alerts", "test", "--wait", "30");
        // What the evaluating scheduler does at its next run.
        await TestDatabase.WaitUntilAsync(async () => (await store.DueNotificationsAsync(10)).Count > 0, TimeSpan.FromSeconds(10), "the test message in the outbox");
        await delivery.DeliverDueAsync(CancellationToken.None);

        var result = await test;
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("slack: delivered", result.Out);
        Assert.StartsWith("[TEST] JobPlatform alerts reach this channel", Assert.Single(slack.Delivered).Text);
        Assert.Contains(await new JobPlatform.Core.Audit.AuditLog(db.CreateClient()).ListAsync(null, 5), r => r.Action == "alerts.test");
        var unknown = await db.RunAsync("alerts", "test", "--channel", "pager", "--wait", "0");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no alert channel 'pager' is configured on the scheduler; configured: slack", unknown.Err);
    }
}
