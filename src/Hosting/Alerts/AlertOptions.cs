namespace JobPlatform.Hosting.Alerts;

/// <summary>Backlog alerting (section <c>Alerts</c>), evaluated by the scheduler cluster.</summary>
public sealed class AlertOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Alerts";

    /// <summary>The channel <c>Alerts:Slack:WebhookUrl</c> defines.</summary>
    public const string DefaultChannel = "slack";

    /// <summary>Evaluate the rules at all; default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the rules are evaluated (and due notifications delivered); default 15 s.</summary>
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The dashboard's address (e.g. <c>https://jobs.example.com</c>), for links to the Backlog page.</summary>
    public string? DashboardUrl { get; set; }

    /// <summary>Where the runbook is (e.g. the address of docs/runbook.md); each rule links to its entry. Without it
    /// messages link to the dashboard's Alerts page, which shows the same entries.</summary>
    public string? RunbookUrl { get; set; }

    /// <summary>The default channel, <c>slack</c>.</summary>
    public SlackOptions Slack { get; set; } = new();

    /// <summary>More channels by name: <c>Alerts:Channels:&lt;name&gt;:Type</c> (<c>slack</c> or <c>webhook</c>) and <c>:Url</c>.</summary>
    public Dictionary<string, AlertChannelOptions> Channels { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The rules by name: <c>Alerts:Rules:&lt;Name&gt;:&lt;Setting&gt;</c>; unset ones keep their defaults.</summary>
    public Dictionary<string, AlertRuleOptions> Rules { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Least time between two messages to one channel; default 1 s (Slack's rate for a webhook).</summary>
    public TimeSpan MinimumMessageInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>The Slack incoming webhook of the default channel.</summary>
public sealed class SlackOptions
{
    /// <summary>The webhook's URL (a secret: never logged or shown).</summary>
    public string? WebhookUrl { get; set; }
}

/// <summary>A notification channel.</summary>
public sealed class AlertChannelOptions
{
    /// <summary><c>slack</c> (an incoming webhook, Block Kit) or <c>webhook</c> (the message as JSON); default slack.</summary>
    public string Type { get; set; } = "slack";

    /// <summary>Where to POST (a secret: never logged or shown).</summary>
    public string? Url { get; set; }
}

/// <summary>A rule's settings; unset ones keep the rule's defaults.</summary>
public sealed class AlertRuleOptions
{
    /// <summary>Whether the rule is evaluated.</summary>
    public bool? Enabled { get; set; }

    /// <summary>Queue names or globs (<c>*</c>, <c>?</c>) the rule watches; default every queue.</summary>
    public List<string>? Queues { get; set; }

    /// <summary>The limit: a duration for QueueLatency (<c>00:05:00</c>), a share for FailureRate (<c>10%</c> or
    /// <c>0.1</c>), a count for QueueDepth.</summary>
    public string? Threshold { get; set; }

    /// <summary>How long the condition must hold before the alert fires.</summary>
    public TimeSpan? For { get; set; }

    /// <summary>How often a firing alert is sent again while it lasts; default 4 hours.</summary>
    public TimeSpan? RepeatInterval { get; set; }

    /// <summary>The channels it notifies; default every configured channel.</summary>
    public List<string>? Channels { get; set; }

    /// <summary>FailureRate only: the window outcomes are counted over; default 15 min.</summary>
    public TimeSpan? Window { get; set; }

    /// <summary>FailureRate only: the fewest finished jobs in the window for the rate to count; default 20.</summary>
    public int? MinimumCount { get; set; }
}
