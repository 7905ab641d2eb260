using System.Globalization;
using Hangfire.Dashboard;
using JobPlatform.Core;
using JobPlatform.Core.Monitoring;
using JobPlatform.Dashboard.Storage;

namespace JobPlatform.Dashboard.Pages;

/// <summary>
/// The Search page's filters as they travel in its query string (<c>kind</c>, <c>queue</c>, <c>state</c>,
/// <c>tag</c>, <c>tenant</c>, <c>id</c>, <c>args</c>, <c>from</c>, <c>to</c>; times in UTC), read into a
/// <see cref="JobSearch"/>, with a description of the filter for confirmations and the audit log.
/// </summary>
internal sealed record SearchQuery(JobSearch Search, string Description, string? Error, IReadOnlyDictionary<string, string> Values)
{
    public static readonly string[] Keys = ["kind", "queue", "state", "tag", "tenant", "id", "args", "from", "to"];

    public static SearchQuery Read(Func<string, string?> query)
    {
        var values = Keys.Select(k => (k, v: query(k)?.Trim())).Where(p => !string.IsNullOrEmpty(p.v))
            .ToDictionary(p => p.k, p => p.v!, StringComparer.Ordinal);
        string? V(string key) => values.GetValueOrDefault(key);
        var errors = new List<string>();
        Guid? id = null;
        if (V("id") is { } idText)
        {
            if (JobKey.TryParse(idText, out var parsed))
            {
                id = parsed;
            }
            else
            {
                errors.Add($"Id '{idText}' is not a job id: paste a UUID, or the j… form the dashboard shows.");
            }
        }

        JobState[]? states = null;
        if (V("state") is { } stateText)
        {
            var names = stateText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var parsed = new List<JobState>();
            foreach (var name in names)
            {
                if (JobStateNames.TryParse(name, out var state))
                {
                    parsed.Add(state);
                }
                else
                {
                    errors.Add($"State '{name}' is not a job state; use one of: {string.Join(", ", JobStateNames.All.Select(s => s.ToDb()))}.");
                }
            }

            states = [.. parsed];
        }

        var search = new JobSearch
        {
            Id = id,
            Kind = V("kind"),
            Queue = V("queue"),
            States = states,
            Tag = V("tag"),
            TenantId = V("tenant"),
            ArgsContain = V("args"),
            CreatedFrom = Time(V("from"), "from", errors),
            CreatedBefore = Time(V("to"), "to", errors),
        };
        if (errors.Count == 0)
        {
            try
            {
                search.Validate();
            }
            catch (JobValidationException e)
            {
                errors.Add(e.Message);
            }
        }

        var description = values.Count == 0 ? "all jobs" : string.Join(", ", values.Select(p => $"{p.Key} = {p.Value}"));
        return new SearchQuery(search, description, errors.Count == 0 ? null : string.Join(" ", errors), values);
    }

    public static SearchQuery Read(DashboardRequest request) => Read(request.GetQuery);

    /// <summary>The query string of these filters (for links and the bulk actions' URLs).</summary>
    public string QueryString(string? extraKey = null, string? extraValue = null)
    {
        var pairs = Values.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)).ToList();
        if (extraKey is not null && extraValue is not null)
        {
            pairs.Add(extraKey + "=" + Uri.EscapeDataString(extraValue));
        }

        return pairs.Count == 0 ? "" : "?" + string.Join("&", pairs);
    }

    private static DateTimeOffset? Time(string? text, string key, List<string> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        errors.Add($"'{text}' in '{key}' is not a time; write it as 2026-12-01 09:30 (UTC) or 2026-12-01T09:30:00Z.");
        return null;
    }
}
