using System.Net;
using JobPlatform.Core.Alerts;

namespace JobPlatform.Dashboard.Tests;

public sealed class AlertsPageTests
{
    [Fact]
    public async Task The_alerts_page_shows_what_fires_what_was_not_delivered_the_rules_with_their_runbook_and_the_history()
    {
        await using var host = await DashboardHost.StartAsync();
        await AlertsFixture.WriteAsync(host.Client);
        using var viewer = await host.SignInAsync("viewer");

        var page = await viewer.GetStringAsync("/dashboard/alerts");

        Assert.Contains("data-rule=\"QueueLatency\" data-subject=\"mail\"", page);
        Assert.Contains(">firing<", page);
        Assert.Contains(">pending<", page);
        Assert.Contains("HTTP 404 channel_not_found", page);
        Assert.Contains("id=\"rule-QueueLatency\"", page);
        Assert.Contains("<em>Act:</em> Add workers or slots for the queue", page);
        Assert.Contains("available 1,234 &#183; oldest waiting 12 min", page);
        Assert.DoesNotContain("hooks.example", page);
        Assert.DoesNotContain("jp-test-alert", page);
        // The menu counts what fires, on every page.
        Assert.Contains("href=\"/dashboard/alerts\"", await viewer.GetStringAsync("/dashboard/backlog"));
    }

    [Fact]
    public async Task An_operators_test_alert_goes_into_the_outbox_for_the_scheduler_and_is_audited()
    {
        await using var host = await DashboardHost.StartAsync();
        var store = await AlertsFixture.WriteAsync(host.Client);
        using var op = await host.SignInAsync("operator");
        Assert.Contains("jp-test-alert", await op.GetStringAsync("/dashboard/alerts"));

        var sent = await DashboardHost.PostActionAsync(op, "/dashboard/alerts/test/slack", token: await DashboardHost.PageTokenAsync(op, "/dashboard/alerts"));
        var unknown = await DashboardHost.PostActionAsync(op, "/dashboard/alerts/test/pager", token: await DashboardHost.PageTokenAsync(op, "/dashboard/alerts"));

        using var viewer = await host.SignInAsync("viewer");
        var refused = await DashboardHost.PostActionAsync(viewer, "/dashboard/alerts/test/slack", token: await DashboardHost.PageTokenAsync(viewer, "/dashboard/alerts"));

        Assert.Equal(HttpStatusCode.NoContent, sent.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var test = Assert.Single(await store.ListNotificationsAsync(null, 10), n => n.Kind == "test");
        Assert.Equal(("slack", "pending"), (test.Channel, test.State));
        Assert.StartsWith("[TEST]", AlertStore.ParseMessage(test.MessageJson).Title);
        Assert.Contains(await new JobPlatform.Core.Audit.AuditLog(host.Client).ListAsync(null, 10), r => r.Action == "alerts.test" && r.Target == "slack");
    }
}
