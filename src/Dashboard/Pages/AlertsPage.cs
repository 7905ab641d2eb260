using System.Text.Json;
using Hangfire.Dashboard.Pages;
using JobPlatform.Core.Alerts;
using JobPlatform.Hosting.Alerts;

namespace JobPlatform.Dashboard.Pages;

/// <summary>
/// The alerts as the scheduler evaluates them: what fires or is pending now, notifications not delivered (with the
/// channel's answer), the rules in force with each one's runbook entry, the channels with "Send test alert" for
/// operators, and the history of firings and resolutions.
/// </summary>
internal sealed class AlertsPage : DashboardPage
{
    private const int HistorySize = 50;

    public override void Execute()
    {
        Layout = new LayoutPage("Alerts");
        var store = Service<AlertStore>();
        var rules = Wait(store.ListRulesAsync());
        var channels = Wait(store.ListChannelsAsync());
        var states = Wait(store.ListStatesAsync());
        var undelivered = Wait(store.ListNotificationsAsync(null, 100, undeliveredOnly: true));
        var history = Wait(store.ListEventsAsync(null, HistorySize));
        Out("<div class=\"row\"><div class=\"col-md-12\"><h1 id=\"page-title\" class=\"page-header\">Alerts</h1>");
        if (rules.Count == 0)
        {
            Out("<div class=\"alert alert-info\">No scheduler has evaluated alerts yet: alerts are evaluated by the scheduler (src/Scheduler), " +
                "configured under Alerts (docs/alerts.md).</div>");
        }

        Now(states);
        Undelivered(undelivered);
        Rules(rules);
        Channels(channels);
        History(history);
        Out("</div></div>");
    }

    private void Now(IReadOnlyList<AlertState> states)
    {
        Out("<h3>Now</h3>");
        if (states.Count == 0)
        {
            Out("<p class=\"jp-alerts-none\">Nothing fires or is pending.</p>");
            return;
        }

        Out("<table class=\"table jp-alerts-now\"><thead><tr><th>Rule</th><th>Queue or worker</th><th>State</th><th>Since</th><th>Figures</th><th>Last sent</th></tr></thead><tbody>");
        foreach (var s in states.OrderByDescending(s => s.Status).ThenBy(s => s.Rule).ThenBy(s => s.Subject))
        {
            var badge = s.Status == AlertStatus.Firing ? "<span class=\"jp-badge jp-badge-noworkers\">firing</span>" : "<span class=\"jp-badge jp-badge-paused\">pending</span>";
            Out($"<tr data-rule=\"{E(s.Rule)}\" data-subject=\"{E(s.Subject)}\"><td><a href=\"#rule-{E(s.Rule)}\">{E(s.Rule)}</a></td><td>{E(s.Subject)}</td><td>{badge}</td>");
            Out($"<td>{Relative(s.FiringSince ?? s.Since)}</td><td>{E(Figures(s.DetailsJson))}</td><td>{(s.LastNotifiedAt is { } at ? Relative(at) : "–")}</td></tr>");
        }

        Out("</tbody></table>");
    }

    private void Undelivered(IReadOnlyList<AlertNotification> notifications)
    {
        Out("<h3>Not delivered</h3>");
        if (notifications.Count == 0)
        {
            Out("<p class=\"jp-alerts-delivered\">Every notification was delivered.</p>");
            return;
        }

        Out("<table class=\"table jp-alerts-undelivered\"><thead><tr><th>Created</th><th>Channel</th><th>Message</th><th>State</th><th>Attempts</th><th>Last answer</th><th>Next attempt</th></tr></thead><tbody>");
        foreach (var n in notifications)
        {
            var title = TryTitle(n.MessageJson) ?? n.Kind;
            var state = n.State == "failed" ? "<span class=\"jp-badge jp-badge-noworkers\">failed</span>" : "<span class=\"jp-badge jp-badge-paused\">pending</span>";
            Out($"<tr><td>{Relative(n.CreatedAt)}</td><td>{E(n.Channel)}</td><td>{E(title)}</td><td>{state}</td><td>{n.Attempts}</td><td>{E(n.LastError)}</td>");
            Out($"<td>{(n.State == "pending" ? Relative(n.NextAttemptAt) : "–")}</td></tr>");
        }

        Out("</tbody></table>");
    }

    private void Rules(IReadOnlyList<AlertRuleRecord> rules)
    {
        if (rules.Count == 0)
        {
            return;
        }

        Out("<h3>Rules</h3><table class=\"table jp-alerts-rules\"><thead><tr><th>Rule</th><th>On</th><th>Queues</th><th>Threshold</th><th>For</th><th>Repeat every</th><th>Channels</th><th>What it means, how to confirm it, what to do</th></tr></thead><tbody>");
        foreach (var rule in rules)
        {
            using var settings = JsonDocument.Parse(rule.SettingsJson);
            string S(string name) => settings.RootElement.TryGetProperty(name, out var v)
                ? v.ValueKind == JsonValueKind.Array ? string.Join(", ", v.EnumerateArray().Select(x => x.ToString())) : v.ToString()
                : "";
            var kind = Enum.TryParse<AlertRuleKind>(rule.Name, out var k) ? k : (AlertRuleKind?)null;
            var (confirm, act) = kind is { } known ? AlertRunbook.Entry(known) : ("", "");
            var threshold = S("threshold") + (S("window") is { Length: > 0 } w && w != "" ? $" over {w}, at least {S("minimumCount")} finished" : "");
            Out($"<tr id=\"rule-{E(rule.Name)}\"><td><strong>{E(rule.Name)}</strong></td><td>{(rule.Enabled ? "yes" : "off")}</td><td>{E(S("queues"))}</td>");
            Out($"<td>{E(threshold)}</td><td>{E(S("for"))}</td><td>{E(S("repeatInterval"))}</td><td>{E(S("channels"))}</td>");
            Out($"<td>{E(kind is { } m ? AlertRules.Meaning(m) : "")}<br><em>Confirm:</em> {E(confirm)}<br><em>Act:</em> {E(act)}</td></tr>");
        }

        Out("</tbody></table>");
    }

    private void Channels(IReadOnlyList<(string Name, string Type)> channels)
    {
        Out("<h3>Channels</h3>");
        if (channels.Count == 0)
        {
            Out("<p>No channel is configured: alerts are evaluated and shown here, and sent nowhere. Set Alerts:Slack:WebhookUrl on the scheduler.</p>");
            return;
        }

        Out("<ul class=\"jp-alerts-channels\">");
        foreach (var (name, type) in channels)
        {
            Out($"<li><strong>{E(name)}</strong> ({E(type)})");
            if (!IsReadOnly)
            {
                Out($" <button class=\"btn btn-xs btn-default jp-test-alert\" data-ajax=\"{E(Url.To("/alerts/test/" + Uri.EscapeDataString(name)))}\" " +
                    $"data-confirm=\"{E($"Send a test message to {name}?")}\" data-loading-text=\"Sending…\">Send test alert</button>");
            }

            Out("</li>");
        }

        Out("</ul>");
    }

    private void History(IReadOnlyList<AlertEvent> events)
    {
        Out("<h3>History</h3>");
        if (events.Count == 0)
        {
            Out("<p>No alert has fired yet.</p>");
            return;
        }

        Out("<table class=\"table jp-alerts-history\"><thead><tr><th>When</th><th>Rule</th><th>Queue or worker</th><th>What</th><th>Figures</th></tr></thead><tbody>");
        foreach (var e in events)
        {
            Out($"<tr><td>{Relative(e.At)}</td><td>{E(e.Rule)}</td><td>{E(e.Subject)}</td><td>{E(e.Kind)}</td><td>{E(Figures(e.DetailsJson))}</td></tr>");
        }

        Out("</tbody></table>");
    }

    private static string Figures(string json)
    {
        try
        {
            var figures = JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
            return string.Join(" · ", figures.Select(f => $"{f.Key} {f.Value}"));
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private static string? TryTitle(string json)
    {
        try
        {
            return AlertStore.ParseMessage(json).Title;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
