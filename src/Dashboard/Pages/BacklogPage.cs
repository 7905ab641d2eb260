using System.Globalization;
using System.Text;
using Hangfire.Dashboard.Pages;
using JobPlatform.Core.Monitoring;

namespace JobPlatform.Dashboard.Pages;

/// <summary>
/// The page on-call engineers land on: per queue, what waits and for how long (the oldest available job's age),
/// what runs on how many slots, how fast it drains, how often it fails, who serves it, and whether it is paused,
/// with Pause and Resume. It refreshes its table every <see cref="DashboardSettings.BacklogRefreshInterval"/>.
/// </summary>
internal sealed class BacklogPage(bool tableOnly) : DashboardPage
{
    /// <summary>Oldest-job ages past these are shown amber and red.</summary>
    internal static readonly TimeSpan AgeWarning = TimeSpan.FromMinutes(1);

    internal static readonly TimeSpan AgeAlarm = TimeSpan.FromMinutes(5);

    private const int SparkMinutes = 60;
    private const int RateMinutes = 5;
    private const int RatioMinutes = 15;

    public override void Execute()
    {
        var monitor = Service<JobMonitor>();
        var queues = Wait(monitor.GetQueuesAsync());
        var now = queues.Count > 0 ? queues[0].ReadAt : Service<TimeProvider>().GetUtcNow();
        var firstMinute = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(1 - SparkMinutes);
        var minutes = Wait(monitor.GetQueueMinutesAsync(firstMinute));
        if (tableOnly)
        {
            Table(queues, minutes, firstMinute);
            return;
        }

        Layout = new LayoutPage("Backlog");
        var refresh = Service<DashboardSettings>().BacklogRefreshInterval;
        Out("<div class=\"row\"><div class=\"col-md-12\"><h1 id=\"page-title\" class=\"page-header\">Backlog ");
        Out($"<small class=\"jp-refreshed text-muted\">refreshes every {E(Duration(refresh))}</small></h1>");
        Out($"<div id=\"jp-backlog\" data-jp-refresh-url=\"{E(Url.To("/backlog/table"))}\" data-jp-refresh-ms=\"{(int)refresh.TotalMilliseconds}\">");
        Table(queues, minutes, firstMinute);
        Out("</div>");
        Out("<p class=\"jp-legend\">Oldest waiting: how long the oldest available job has been due (amber past " + E(Duration(AgeWarning)) +
            ", red past " + E(Duration(AgeAlarm)) + "); retries waiting for their backoff are not counted. Throughput: completed jobs per minute over the last " +
            RateMinutes + " minutes; the line shows completed jobs per minute over the last hour, red marks the minutes with failed attempts. Failures: the share of " +
            "attempts that failed in the last " + RatioMinutes + " minutes. Drains in: available jobs at the current throughput. " +
            "<em>No workers</em>: jobs wait and no live worker serves the queue.</p>");
        Out("</div></div>");
    }

    private void Table(IReadOnlyList<QueueOverview> queues, IReadOnlyDictionary<string, IReadOnlyList<OutcomeBucket>> minutes, DateTimeOffset firstMinute)
    {
        if (queues.Count == 0)
        {
            Out("<div class=\"alert alert-info\">No queue has jobs, workers or outcomes in the last hour.</div>");
            return;
        }

        Out("<div class=\"table-responsive\"><table class=\"table table-hover jp-backlog\" aria-describedby=\"page-title\"><thead><tr>" +
            "<th>Queue</th><th>Status</th><th class=\"jp-num\">Available</th><th class=\"jp-num\">Oldest waiting</th>" +
            "<th class=\"jp-num\">Running / slots</th><th class=\"jp-num\">Scheduled</th><th class=\"jp-num\">Retries</th>" +
            "<th class=\"jp-num\">Throughput</th><th>Last hour</th><th class=\"jp-num\">Failures</th><th class=\"jp-num\">Avg run</th>" +
            "<th class=\"jp-num\">Drains in</th><th class=\"jp-num\">Workers</th>");
        if (!IsReadOnly)
        {
            Out("<th></th>");
        }

        Out("</tr></thead><tbody>");
        foreach (var queue in queues)
        {
            var series = minutes.TryGetValue(queue.Name, out var list) ? list : [];
            Row(queue, series, firstMinute);
        }

        Out("</tbody></table></div>");
    }

    private void Row(QueueOverview q, IReadOnlyList<OutcomeBucket> series, DateTimeOffset firstMinute)
    {
        var lastMinute = firstMinute.AddMinutes(SparkMinutes - 1);
        var rate = Sum(series, lastMinute.AddMinutes(1 - RateMinutes)).Completed / (double)RateMinutes;
        var recent = Sum(series, lastMinute.AddMinutes(1 - RatioMinutes));
        var age = q.OldestAvailableAge;
        var ageClass = q.Available == 0 ? "jp-age-ok" : age >= AgeAlarm ? "jp-age-bad" : age >= AgeWarning ? "jp-age-warn" : "jp-age-ok";
        Out($"<tr id=\"queue-{E(q.Name)}\" data-queue=\"{E(q.Name)}\"><td><a href=\"{E(Url.Queue(q.Name))}\">{E(q.Name)}</a></td><td>{Status(q, age)}</td>");
        Out($"<td class=\"jp-num jp-available\">{N(q.Available)}</td>");
        Out($"<td class=\"jp-num jp-oldest {ageClass}\">{(q.Available == 0 ? "–" : E(Duration(age)))}</td>");
        Out($"<td class=\"jp-num\">{N(q.Running)} / {(q.Slots > 0 ? N(q.Slots) : "–")}</td>");
        Out($"<td class=\"jp-num\">{N(q.Scheduled)}</td><td class=\"jp-num\">{N(q.Retryable)}</td>");
        Out($"<td class=\"jp-num jp-rate\">{rate.ToString(rate < 10 ? "0.#" : "N0", CultureInfo.InvariantCulture)}/min</td>");
        Out($"<td>{Sparkline(series, firstMinute)}</td>");
        Out($"<td class=\"jp-num jp-failures\" title=\"{N(recent.Failed + recent.Discarded)} failed of {N(recent.Attempts)} attempts; {N(recent.Discarded)} failed for good\">" +
            (recent.Attempts == 0 ? "–" : (recent.FailureRatio * 100).ToString(recent.FailureRatio < 0.1 ? "0.0" : "0", CultureInfo.InvariantCulture) + " %") + "</td>");
        Out($"<td class=\"jp-num\">{(recent.AverageRunTime is { } run ? E(Duration(run)) : "–")}</td>");
        Out($"<td class=\"jp-num jp-drain\">{Drain(q, rate)}</td>");
        Out($"<td class=\"jp-num jp-workers\">{q.LiveWorkers}</td>");
        if (!IsReadOnly)
        {
            var (verb, path, confirm) = q.Paused
                ? ("Resume", "/backlog/resume/", $"Resume queue {q.Name}? Its workers start taking jobs again.")
                : ("Pause", "/backlog/pause/", $"Pause queue {q.Name}? Workers stop taking its jobs; running ones finish.");
            Out($"<td><button class=\"btn btn-xs btn-default jp-{verb.ToLowerInvariant()}\" data-ajax=\"{E(Url.To(path + q.Name))}\" " +
                $"data-confirm=\"{E(confirm)}\" data-loading-text=\"{verb}…\">{verb}</button></td>");
        }

        Out("</tr>");
    }

    private static string Status(QueueOverview q, TimeSpan age)
    {
        if (q.Paused)
        {
            return $"<span class=\"jp-badge jp-badge-paused\" title=\"paused since {E(q.PausedAt!.Value.ToString("u", CultureInfo.InvariantCulture))}\">paused</span>";
        }

        if (q.LiveWorkers == 0 && q.Available + q.Retryable + q.Scheduled > 0)
        {
            return "<span class=\"jp-badge jp-badge-noworkers\" title=\"jobs wait and no live worker serves this queue\">no workers</span>";
        }

        return q.Available > 0 && age >= AgeWarning
            ? "<span class=\"jp-badge jp-badge-noworkers\" title=\"the oldest job has waited long\">backlog</span>"
            : "<span class=\"jp-badge jp-badge-ok\">ok</span>";
    }

    private static string Drain(QueueOverview q, double perMinute)
    {
        if (q.Available == 0)
        {
            return "–";
        }

        if (q.Paused)
        {
            return "paused";
        }

        return perMinute <= 0 ? "<span class=\"text-danger\">not draining</span>" : E("~" + Duration(TimeSpan.FromMinutes(q.Available / perMinute)));
    }

    private static OutcomeCounts Sum(IReadOnlyList<OutcomeBucket> series, DateTimeOffset from) =>
        series.Where(b => b.Start >= from).Aggregate(OutcomeCounts.Zero, (total, b) => total + b.Counts);

    /// <summary>Completed jobs per minute over the last hour as a green line, minutes with failed attempts as red marks,
    /// as inline SVG.</summary>
    private static string Sparkline(IReadOnlyList<OutcomeBucket> series, DateTimeOffset firstMinute)
    {
        const int width = 120, height = 24;
        var completed = new long[SparkMinutes];
        var failed = new long[SparkMinutes];
        foreach (var bucket in series)
        {
            var i = (int)(bucket.Start - firstMinute).TotalMinutes;
            if (i is >= 0 and < SparkMinutes)
            {
                completed[i] = bucket.Counts.Completed;
                failed[i] = bucket.Counts.Failed + bucket.Counts.Discarded;
            }
        }

        var max = Math.Max(1, completed.Max());
        var step = (width - 1) / (double)(SparkMinutes - 1);
        var line = new StringBuilder();
        for (var i = 0; i < SparkMinutes; i++)
        {
            line.Append(CultureInfo.InvariantCulture, $"{i * step:0.#},{height - 1 - (completed[i] * (height - 2) / (double)max):0.#} ");
        }

        // Failed attempts are marks at their minutes, under the completions' line, scaled on their own.
        var failedMax = Math.Max(1, failed.Max());
        var marks = new StringBuilder();
        for (var i = 0; i < SparkMinutes; i++)
        {
            if (failed[i] > 0)
            {
                var h = Math.Max(2, failed[i] * (height - 2) / (double)failedMax);
                marks.Append(CultureInfo.InvariantCulture,
                    $"<rect class=\"jp-spark-failed\" x=\"{Math.Max(0, (i * step) - 1):0.#}\" y=\"{height - h:0.#}\" width=\"2\" height=\"{h:0.#}\"/>");
            }
        }

        var total = completed.Sum();
        var totalFailed = failed.Sum();
        var label = $"last hour: {N(total)} completed, {N(totalFailed)} failed attempts";
        return $"<svg class=\"jp-spark\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{label}\">" +
               $"<title>{label}</title><line class=\"jp-spark-base\" x1=\"0\" y1=\"{height - 0.5}\" x2=\"{width}\" y2=\"{height - 0.5}\"/>" +
               marks + (total > 0 ? $"<polyline class=\"jp-spark-ok\" points=\"{line.ToString().TrimEnd()}\"/>" : "") + "</svg>";
    }
}
