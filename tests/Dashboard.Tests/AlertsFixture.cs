using System.Text.Json;
using JobPlatform.Core;
using JobPlatform.Core.Alerts;
using JobPlatform.Hosting.Alerts;

namespace JobPlatform.Dashboard.Tests;

/// <summary>Alert rows as an evaluating scheduler leaves them: rules and a channel, a firing and a pending alert,
/// a delivered and a failed notification, history.</summary>
internal static class AlertsFixture
{
    public static async Task<AlertStore> WriteAsync(JobClient client)
    {
        var store = new AlertStore(client);
        var rules = AlertRules.Resolve(new AlertOptions { Slack = new SlackOptions { WebhookUrl = "https://hooks.example/x" } }, ["slack"]);
        await store.SaveRulesAsync(rules.Select(r => (r.Name, r.Enabled, r.SettingsJson())).ToList());
        await store.SaveChannelsAsync([("slack", "slack")]);
        var now = DateTimeOffset.UtcNow;
        var figures = JsonSerializer.Serialize(new Dictionary<string, string> { ["available"] = "1,234", ["oldest waiting"] = "12 min" });
        var changes = new AlertChanges();
        changes.Upserts.Add(new AlertState("QueueLatency", "mail", AlertStatus.Firing, now.AddMinutes(-14), now.AddMinutes(-13), 720, figures, now.AddMinutes(-13), now));
        changes.Upserts.Add(new AlertState("NoWorkers", "reports", AlertStatus.Pending, now.AddSeconds(-40), null, 0, figures, null, now));
        changes.Events.Add(("QueueLatency", "mail", "firing", 720, figures));
        changes.Events.Add(("QueueLatency", "default", "resolved", 2, figures));
        var message = AlertStore.FormatMessage(new AlertMessage { Kind = "firing", Rule = "QueueLatency", Title = "[FIRING] QueueLatency: mail", Summary = "[FIRING] QueueLatency — mail" });
        changes.Notifications.Add(new NewAlertNotification("slack", "firing", "QueueLatency", ["mail"], message));
        await store.ApplyAsync(changes);
        var failed = (await store.DueNotificationsAsync(10)).Single();
        await store.MarkFailedAsync(failed.Id, "HTTP 404 channel_not_found");
        return store;
    }
}
