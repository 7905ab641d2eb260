using System.Text.Json.Serialization;

namespace JobPlatform.Core.Alerts;

/// <summary>
/// A notification as the outbox keeps it, independent of the channel: each channel renders it (Slack blocks, a
/// plain JSON webhook). Written by the evaluating scheduler, read by the delivery, the dashboard and jobctl.
/// </summary>
public sealed record AlertMessage
{
    /// <summary><c>firing</c>, <c>repeat</c>, <c>resolved</c> or <c>test</c>.</summary>
    [JsonPropertyName("kind")] public required string Kind { get; init; }

    /// <summary>The rule, if any.</summary>
    [JsonPropertyName("rule")] public string? Rule { get; init; }

    /// <summary>The headline, e.g. <c>[FIRING] QueueLatency: 2 queues</c> (at most 150 characters).</summary>
    [JsonPropertyName("title")] public required string Title { get; init; }

    /// <summary>The whole message in one line of text, for notifications and clients without blocks.</summary>
    [JsonPropertyName("summary")] public required string Summary { get; init; }

    /// <summary>One entry per queue or worker.</summary>
    [JsonPropertyName("items")] public IReadOnlyList<AlertItem> Items { get; init; } = [];

    /// <summary>What the rule means and what to do, in a sentence.</summary>
    [JsonPropertyName("meaning")] public string? Meaning { get; init; }

    /// <summary>Where the rule's runbook entry is.</summary>
    [JsonPropertyName("runbookUrl")] public string? RunbookUrl { get; init; }

    /// <summary>The dashboard's Backlog page.</summary>
    [JsonPropertyName("dashboardUrl")] public string? DashboardUrl { get; init; }

    /// <summary>When the evaluation that made it ran.</summary>
    [JsonPropertyName("at")] public DateTimeOffset At { get; init; }
}

/// <summary>One queue or worker of a notification, with its figures.</summary>
public sealed record AlertItem
{
    /// <summary>The queue or worker.</summary>
    [JsonPropertyName("subject")] public required string Subject { get; init; }

    /// <summary>The value against the threshold and since when, in words.</summary>
    [JsonPropertyName("text")] public required string Text { get; init; }

    /// <summary>The subject on the dashboard, if it has a page.</summary>
    [JsonPropertyName("link")] public string? Link { get; init; }

    /// <summary>Figures by name: depth, oldest age, failure rate, live workers.</summary>
    [JsonPropertyName("figures")] public IReadOnlyDictionary<string, string> Figures { get; init; } = new Dictionary<string, string>();
}
