using System.Text.Json;
using System.Text.Json.Nodes;
using JobPlatform.Core.Alerts;

namespace JobPlatform.Hosting.Alerts;

/// <summary>
/// An alert as a Slack incoming-webhook body: Block Kit with a text fallback, within Slack's limits (at most 50
/// blocks, a header of 150 characters, section texts of 3,000): one section per queue up to 40, then one naming
/// the rest, so fifty red queues still make one valid message.
/// </summary>
public static class SlackMessage
{
    /// <summary>Most blocks Slack accepts in one message.</summary>
    public const int MaxBlocks = 50;

    /// <summary>Longest section text Slack accepts.</summary>
    public const int MaxSectionText = 3000;

    /// <summary>Longest header text Slack accepts.</summary>
    public const int MaxHeaderText = 150;

    /// <summary>Queues given a section of their own; the rest share one.</summary>
    public const int MaxItemSections = 40;

    /// <summary>The webhook body.</summary>
    public static string Render(AlertMessage message)
    {
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "header", ["text"] = PlainText(Cut(message.Title, MaxHeaderText)) },
        };
        if (message.Meaning is { } meaning)
        {
            blocks.Add(Section(meaning));
        }

        foreach (var item in message.Items.Take(MaxItemSections))
        {
            var subject = item.Link is { } link ? $"<{link}|*{Escape(item.Subject)}*>" : $"*{Escape(item.Subject)}*";
            var figures = string.Join(" · ", item.Figures.Select(f => $"{Escape(f.Key)} {Escape(f.Value)}"));
            blocks.Add(Section($"{subject}: {Escape(item.Text)}" + (figures.Length > 0 ? "\n" + figures : "")));
        }

        if (message.Items.Count > MaxItemSections)
        {
            var rest = message.Items.Skip(MaxItemSections).Select(i => i.Subject).ToList();
            blocks.Add(Section($"…and {rest.Count} more: {Escape(string.Join(", ", rest))}"));
        }

        var links = new List<string>();
        if (message.DashboardUrl is { } dashboard)
        {
            links.Add($"<{dashboard}|Dashboard: Backlog>");
        }

        if (message.RunbookUrl is { } runbook)
        {
            links.Add($"<{runbook}|Runbook: {Escape(message.Rule ?? "alerts")}>");
        }

        links.Add("JobPlatform alerts");
        blocks.Add(new JsonObject
        {
            ["type"] = "context",
            ["elements"] = new JsonArray(new JsonObject { ["type"] = "mrkdwn", ["text"] = Cut(string.Join(" · ", links), MaxSectionText) }),
        });
        return new JsonObject { ["text"] = Cut(message.Summary, MaxSectionText), ["blocks"] = blocks }.ToJsonString();
    }

    /// <summary>The body a generic JSON webhook gets: the message itself, with its source.</summary>
    public static string RenderWebhook(AlertMessage message)
    {
        var body = JsonNode.Parse(AlertStore.FormatMessage(message))!.AsObject();
        body["source"] = "jobplatform";
        return body.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    private static JsonObject Section(string text) =>
        new() { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = Cut(text, MaxSectionText) } };

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text, ["emoji"] = false };

    /// <summary>Slack's three characters with a meaning in mrkdwn.</summary>
    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
