using System.Text.RegularExpressions;

namespace JobPlatform.TestSupport;

/// <summary>
/// The <c>jobplatform_*</c> metric families the hosts serve on <c>/metrics</c>, with their Prometheus type and label
/// names, as dashboards and alert rules use them. Written down from the hand-written exporter's output before the
/// exporter was replaced, so a test can check that the names did not move.
/// </summary>
public static partial class MetricFamilies
{
    /// <summary>The worker's families (engine and job catalogue), each "name type label,label".</summary>
    public static readonly IReadOnlyList<string> Worker =
    [
        "jobplatform_completer_batches_total counter ",
        "jobplatform_database_errors_total counter component",
        "jobplatform_dependency_breaker_state gauge dependency",
        "jobplatform_dependency_snoozes_total counter dependency",
        "jobplatform_fetch_batch_size histogram queue",
        "jobplatform_job_duration_seconds histogram kind,queue",
        "jobplatform_jobs_finished_total counter kind,outcome,queue",
        "jobplatform_jobs_handoffs_recovered_total counter queue",
        "jobplatform_jobs_handoffs_total counter queue",
        "jobplatform_jobs_in_flight gauge queue",
    ];

    /// <summary>The scheduler's families (recurring fires, platform tasks, alerts).</summary>
    public static readonly IReadOnlyList<string> Scheduler =
    [
        "jobplatform_alerts_evaluations_total counter outcome",
        "jobplatform_alerts_firing gauge rule",
        "jobplatform_alerts_notifications_total counter channel,outcome",
        "jobplatform_alerts_undelivered gauge state",
        "jobplatform_platform_task_runs_total counter outcome,task",
        "jobplatform_recurring_fires_total counter outcome,schedule",
    ];

    /// <summary>
    /// Reads a Prometheus text exposition into "name type label,label" lines, one per <c>jobplatform_*</c>
    /// family that has at least one sample, labels sorted (<c>le</c> of histogram buckets left out), sorted by name.
    /// </summary>
    public static IReadOnlyList<string> Parse(string exposition)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var labels = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var line in exposition.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            if (TypeLine().Match(line) is { Success: true } type)
            {
                types[type.Groups[1].Value] = type.Groups[2].Value;
                continue;
            }

            if (SampleLine().Match(line) is not { Success: true } sample)
            {
                continue;
            }

            var family = FamilyOf(sample.Groups[1].Value, types);
            if (!labels.TryGetValue(family, out var names))
            {
                labels[family] = names = new SortedSet<string>(StringComparer.Ordinal);
            }

            foreach (Match label in LabelName().Matches(sample.Groups[2].Value))
            {
                if (label.Groups[1].Value != "le")
                {
                    names.Add(label.Groups[1].Value);
                }
            }
        }

        return [.. labels.Keys.Order(StringComparer.Ordinal).Select(f =>
            $"{f} {(types.TryGetValue(f, out var t) ? t : "untyped")} {string.Join(',', labels[f])}")];
    }

    /// <summary>The families of <paramref name="exposition"/> that are not in <paramref name="known"/> as they are
    /// there (a renamed metric, a changed type, an added or lost label), and the names in <paramref name="required"/>
    /// that have no sample; empty when the scrape matches.</summary>
    public static IReadOnlyList<string> Mismatches(string exposition, IReadOnlyList<string> known, params string[] required)
    {
        var served = Parse(exposition);
        var unknown = served.Where(f => !known.Contains(f, StringComparer.Ordinal)).Select(f => "not in the list: " + f);
        var missing = required.Where(r => !served.Any(f => f.StartsWith(r + " ", StringComparison.Ordinal))).Select(r => "no sample: " + r);
        return [.. unknown, .. missing];
    }

    /// <summary>The family of a sample: a histogram's <c>_bucket</c>, <c>_sum</c> and <c>_count</c> belong to it.</summary>
    private static string FamilyOf(string sample, Dictionary<string, string> types)
    {
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (sample.EndsWith(suffix, StringComparison.Ordinal) && types.TryGetValue(sample[..^suffix.Length], out var t) && t == "histogram")
            {
                return sample[..^suffix.Length];
            }
        }

        return sample;
    }

    [GeneratedRegex(@"^# TYPE (jobplatform_\w+) (\w+)")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^(jobplatform_\w+)(?:\{(.*)\})? ")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(\w+)=""")]
    private static partial Regex LabelName();
}
