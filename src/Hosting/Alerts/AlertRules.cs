using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace JobPlatform.Hosting.Alerts;

/// <summary>The built-in rules.</summary>
public enum AlertRuleKind
{
    /// <summary>The oldest available job of a queue waited longer than the threshold since it became due.</summary>
    QueueLatency,

    /// <summary>A queue has available jobs and no live worker serves it.</summary>
    NoWorkers,

    /// <summary>The share of a queue's finished jobs that failed for good, over a window, passed the threshold.</summary>
    FailureRate,

    /// <summary>A worker stopped heartbeating; the rescuer returned its running jobs to their queues.</summary>
    WorkerLost,

    /// <summary>A queue holds more available jobs than the threshold.</summary>
    QueueDepth,
}

/// <summary>A rule with every setting resolved (configuration over the rule's defaults).</summary>
/// <param name="Kind">Which rule.</param>
/// <param name="Enabled">Whether it is evaluated.</param>
/// <param name="Queues">Queue names or globs it watches (empty: all).</param>
/// <param name="Threshold">The limit: seconds for QueueLatency, a share (0-1) for FailureRate, a count for QueueDepth; 0 for the others.</param>
/// <param name="For">How long the condition must hold before it fires.</param>
/// <param name="RepeatInterval">How often a firing alert is sent again.</param>
/// <param name="Channels">The channels it notifies.</param>
/// <param name="Window">FailureRate: the window outcomes are counted over.</param>
/// <param name="MinimumCount">FailureRate: the fewest finished jobs for the rate to count.</param>
public sealed record AlertRule(
    AlertRuleKind Kind, bool Enabled, IReadOnlyList<string> Queues, double Threshold, TimeSpan For, TimeSpan RepeatInterval,
    IReadOnlyList<string> Channels, TimeSpan Window, int MinimumCount)
{
    /// <summary>The rule's name.</summary>
    public string Name => Kind.ToString();

    /// <summary>Whether the rule watches <paramref name="queue"/>.</summary>
    public bool Watches(string queue) => Queues.Count == 0 || Queues.Any(q => Glob(q).IsMatch(queue));

    /// <summary>The settings as JSON, for the dashboard and jobctl (channel names only: URLs are secrets).</summary>
    public string SettingsJson() => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["queues"] = Queues.Count == 0 ? ["*"] : Queues,
        ["threshold"] = AlertRules.DescribeThreshold(Kind, Threshold),
        ["for"] = For.ToString("c", CultureInfo.InvariantCulture),
        ["repeatInterval"] = RepeatInterval.ToString("c", CultureInfo.InvariantCulture),
        ["channels"] = Channels,
        ["window"] = Kind == AlertRuleKind.FailureRate ? Window.ToString("c", CultureInfo.InvariantCulture) : "",
        ["minimumCount"] = Kind == AlertRuleKind.FailureRate ? MinimumCount : 0,
    });

    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant);
}

/// <summary>The built-in rules' defaults, and reading <c>Alerts:Rules</c> over them.</summary>
public static class AlertRules
{
    /// <summary>How often a firing alert is sent again by default.</summary>
    public static readonly TimeSpan DefaultRepeatInterval = TimeSpan.FromHours(4);

    private static readonly Regex QueuePattern = new("^[a-z0-9_.*?-]{1,64}$", RegexOptions.CultureInvariant);

    /// <summary>What each rule means and what to do, in a sentence (messages and the dashboard; the runbook says more).</summary>
    public static string Meaning(AlertRuleKind kind) => kind switch
    {
        AlertRuleKind.QueueLatency => "Jobs wait longer than they should before a worker starts them: the queue needs more workers or slots, or its handlers are slow.",
        AlertRuleKind.NoWorkers => "Jobs wait on a queue that no live worker serves: start a worker for it, or check the workers' JobPlatform:Worker:Queues.",
        AlertRuleKind.FailureRate => "Too many of the queue's jobs fail for good: read the errors of its failed jobs on the dashboard.",
        AlertRuleKind.WorkerLost => "A worker stopped without shutting down; its running jobs were returned to their queues and run again.",
        _ => "More jobs wait on the queue than expected: check whether it drains (Backlog page) and what fills it.",
    };

    /// <summary>Every rule with configuration applied over its defaults. Throws naming each bad key.</summary>
    /// <exception cref="InvalidOperationException">A setting is not valid.</exception>
    public static IReadOnlyList<AlertRule> Resolve(AlertOptions options, IReadOnlyCollection<string> channels)
    {
        var errors = new List<string>();
        var names = Enum.GetNames<AlertRuleKind>();
        foreach (var configured in options.Rules.Keys.Where(k => !names.Contains(k, StringComparer.OrdinalIgnoreCase)))
        {
            errors.Add($"Alerts:Rules:{configured} is not a rule; the rules are {string.Join(", ", names)}.");
        }

        var rules = new List<AlertRule>();
        foreach (var kind in Enum.GetValues<AlertRuleKind>())
        {
            var key = $"Alerts:Rules:{kind}";
            var o = options.Rules.TryGetValue(kind.ToString(), out var set) ? set : new AlertRuleOptions();
            var defaults = Defaults(kind);
            var threshold = defaults.Threshold;
            if (o.Threshold is { } text)
            {
                threshold = ParseThreshold(kind, text, key + ":Threshold", errors) ?? threshold;
            }

            var forTime = o.For ?? defaults.For;
            if (forTime < TimeSpan.Zero)
            {
                errors.Add($"{key}:For is {forTime}; use zero or more, e.g. 00:01:00.");
            }

            var repeat = o.RepeatInterval ?? DefaultRepeatInterval;
            if (repeat <= TimeSpan.Zero)
            {
                errors.Add($"{key}:RepeatInterval is {repeat}; use a positive duration, e.g. 04:00:00.");
            }

            var window = o.Window ?? defaults.Window;
            if (kind == AlertRuleKind.FailureRate && (window < TimeSpan.FromMinutes(1) || window > TimeSpan.FromDays(1)))
            {
                errors.Add($"{key}:Window is {window}; use 00:01:00 to 1.00:00:00 (outcomes are counted per minute).");
            }

            var minimum = o.MinimumCount ?? defaults.MinimumCount;
            if (minimum < 1)
            {
                errors.Add($"{key}:MinimumCount is {minimum}; use 1 or more.");
            }

            var queues = o.Queues ?? [];
            foreach (var q in queues.Where(q => !QueuePattern.IsMatch(q)))
            {
                errors.Add($"{key}:Queues has '{q}'; use queue names or globs of a-z, 0-9, '_', '.', '-', '*' and '?'.");
            }

            var ruleChannels = o.Channels ?? [.. channels];
            foreach (var c in ruleChannels.Where(c => !channels.Contains(c, StringComparer.OrdinalIgnoreCase)))
            {
                errors.Add($"{key}:Channels names '{c}', which is not configured; configure Alerts:Slack:WebhookUrl (channel 'slack') or Alerts:Channels:{c}:Url.");
            }

            rules.Add(new AlertRule(kind, o.Enabled ?? defaults.Enabled, queues, threshold, forTime, repeat, ruleChannels, window, minimum));
        }

        return errors.Count == 0 ? rules : throw new InvalidOperationException("Alert settings are not valid:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
    }

    /// <summary>A threshold in words: "5 min", "10 %", "10,000 jobs".</summary>
    public static string DescribeThreshold(AlertRuleKind kind, double threshold) => kind switch
    {
        AlertRuleKind.QueueLatency => AlertText.Duration(TimeSpan.FromSeconds(threshold)),
        AlertRuleKind.FailureRate => AlertText.Percent(threshold),
        AlertRuleKind.QueueDepth => threshold.ToString("N0", CultureInfo.InvariantCulture) + " jobs",
        _ => "",
    };

    private static (bool Enabled, double Threshold, TimeSpan For, TimeSpan Window, int MinimumCount) Defaults(AlertRuleKind kind) => kind switch
    {
        AlertRuleKind.QueueLatency => (true, TimeSpan.FromMinutes(5).TotalSeconds, TimeSpan.FromMinutes(1), TimeSpan.Zero, 1),
        AlertRuleKind.NoWorkers => (true, 0, TimeSpan.FromMinutes(2), TimeSpan.Zero, 1),
        AlertRuleKind.FailureRate => (true, 0.1, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), 20),
        AlertRuleKind.WorkerLost => (true, 0, TimeSpan.Zero, TimeSpan.Zero, 1),
        _ => (false, 10_000, TimeSpan.FromMinutes(10), TimeSpan.Zero, 1),
    };

    private static double? ParseThreshold(AlertRuleKind kind, string text, string key, List<string> errors)
    {
        switch (kind)
        {
            case AlertRuleKind.QueueLatency:
                if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero)
                {
                    return span.TotalSeconds;
                }

                errors.Add($"{key} is '{text}'; QueueLatency's threshold is a positive duration, e.g. 00:05:00.");
                return null;
            case AlertRuleKind.FailureRate:
                var percent = text.Trim().EndsWith('%');
                if (double.TryParse(text.Trim().TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var share))
                {
                    share = percent ? share / 100 : share;
                    if (share is > 0 and <= 1)
                    {
                        return share;
                    }
                }

                errors.Add($"{key} is '{text}'; FailureRate's threshold is a share of finished jobs, e.g. 10% or 0.1.");
                return null;
            case AlertRuleKind.QueueDepth:
                if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var depth) && depth > 0)
                {
                    return depth;
                }

                errors.Add($"{key} is '{text}'; QueueDepth's threshold is a number of available jobs, e.g. 10000.");
                return null;
            default:
                errors.Add($"{key} is set, but {kind} has no threshold; remove it.");
                return null;
        }
    }
}
