using Hangfire.Dashboard.Pages;
using JobPlatform.Core;
using JobPlatform.Core.Monitoring;
using JobPlatform.Dashboard.Storage;

namespace JobPlatform.Dashboard.Pages;

/// <summary>
/// Jobs by kind, queue, state, tag, tenant, id, args containing a JSON fragment and creation time, newest first,
/// a page at a time from a keyset cursor (as fast on page 1000 as on page 1). Operators can retry or delete the
/// selected jobs, or every job matching the search (the newest <see cref="DashboardSettings.BulkActionLimit"/>),
/// after a confirmation that states the count.
/// </summary>
internal sealed class SearchPage : DashboardPage
{
    /// <summary>How long a search may look for matches before it is stopped with a hint to narrow it.</summary>
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public override void Execute()
    {
        Layout = new LayoutPage("Search");
        var settings = Service<DashboardSettings>();
        var query = SearchQuery.Read(Query);
        Out("<div class=\"row\"><div class=\"col-md-12\"><h1 id=\"page-title\" class=\"page-header\">Search</h1>");
        Form(query);
        if (query.Error is { } error)
        {
            Out($"<div class=\"alert alert-warning jp-search-error\" role=\"alert\">{E(error)}</div></div></div>");
            return;
        }

        Guid? after = JobKey.TryParse(Query("after"), out var cursor) ? cursor : null;
        JobSearchPage page;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(Http.RequestAborted))
        {
            timeout.CancelAfter(Timeout);
            try
            {
                page = Wait(Service<JobMonitor>().SearchAsync(query.Search, after, settings.SearchPageSize, timeout.Token));
            }
            catch (OperationCanceledException) when (!Http.RequestAborted.IsCancellationRequested)
            {
                Out($"<div class=\"alert alert-warning jp-search-error\" role=\"alert\">The search looked for {E(Duration(Timeout))} without filling a page. " +
                    "Narrow it with a kind, queue, state or time range.</div></div></div>");
                return;
            }
        }

        Results(query, page, after is not null);
        Out("</div></div>");
    }

    private void Form(SearchQuery query)
    {
        string V(string key) => E(query.Values.GetValueOrDefault(key));
        Out($"<form class=\"form-inline jp-search-form\" method=\"get\" action=\"{E(Url.To("/search"))}\">");
        Field("kind", "Kind", V("kind"), "email.send");
        Field("queue", "Queue", V("queue"), "default");
        Out("<div class=\"form-group\"><label for=\"jp-state\">State</label> <select class=\"form-control input-sm\" id=\"jp-state\" name=\"state\"><option value=\"\">any</option>");
        foreach (var state in JobStateNames.All)
        {
            var name = state.ToDb();
            var selected = query.Values.GetValueOrDefault("state") == name ? " selected" : "";
            Out($"<option value=\"{name}\"{selected}>{name} ({HangfireView.StateName(state).ToLowerInvariant()})</option>");
        }

        Out("</select></div>");
        Field("tag", "Tag", V("tag"), "");
        Field("tenant", "Tenant", V("tenant"), "");
        Field("id", "Id", V("id"), "job id", wide: true);
        Field("args", "Args contain", V("args"), "{\"to\":\"ada@example.com\"}", wide: true);
        Field("from", "Created from (UTC)", V("from"), "2026-12-01 09:00");
        Field("to", "before", V("to"), "2026-12-01 10:00");
        Out("<button type=\"submit\" class=\"btn btn-sm btn-primary\">Search</button> ");
        Out($"<a class=\"btn btn-sm btn-default\" href=\"{E(Url.To("/search"))}\">Clear</a></form>");
    }

    private void Field(string name, string label, string value, string placeholder, bool wide = false) =>
        Out($"<div class=\"form-group\"><label for=\"jp-{name}\">{E(label)}</label> <input class=\"form-control input-sm{(wide ? " jp-wide" : "")}\" " +
            $"id=\"jp-{name}\" name=\"{name}\" value=\"{value}\" placeholder=\"{E(placeholder)}\"></div> ");

    private void Results(SearchQuery query, JobSearchPage page, bool deeper)
    {
        if (page.Jobs.Count == 0)
        {
            Out($"<div class=\"alert alert-info\">{(deeper ? "No more jobs match." : "No job matches.")}</div>");
            return;
        }

        Out("<div class=\"js-jobs-list\"><div class=\"btn-toolbar btn-toolbar-top\">");
        if (!IsReadOnly)
        {
            var qs = query.QueryString();
            Bulk("Retry selected", "Retry", "selected", "/search/retry" + qs, null, "btn-primary");
            Bulk("Delete selected", "Delete", "selected", "/search/cancel" + qs, null, "btn-default");
            if (query.Values.Count > 0)
            {
                Bulk("Retry all matching", "Retry", "filter", "/search/retry" + qs, "/search/count" + qs, "btn-default");
                Bulk("Delete all matching", "Delete", "filter", "/search/cancel" + qs, "/search/count" + qs, "btn-default");
            }
        }

        Out($"<span class=\"jp-legend\">{N(page.Jobs.Count)} jobs on this page, newest first.</span></div>");
        Out("<div class=\"table-responsive\"><table class=\"table jp-search-results\" aria-describedby=\"page-title\"><thead><tr>");
        if (!IsReadOnly)
        {
            Out("<th class=\"min-width\"><input type=\"checkbox\" class=\"js-jobs-list-select-all\" aria-label=\"select all\"></th>");
        }

        Out("<th>Id</th><th>Kind</th><th>Queue</th><th>State</th><th>Attempt</th><th>Args</th><th>Tags</th><th class=\"align-right\">Created</th></tr></thead><tbody>");
        foreach (var job in page.Jobs)
        {
            var key = JobKey.Format(job.Id);
            Out("<tr class=\"js-jobs-list-row hover\">");
            if (!IsReadOnly)
            {
                Out($"<td><input type=\"checkbox\" class=\"js-jobs-list-checkbox\" name=\"jobs[]\" value=\"{E(key)}\" aria-label=\"select\"></td>");
            }

            Out($"<td class=\"min-width\">{Html.JobIdLink(key)}</td>");
            Out($"<td><a class=\"job-method\" href=\"{E(Url.JobDetails(key))}\">{E(job.Kind)}</a></td>");
            Out($"<td>{E(job.Queue)}</td><td>{Html.StateLabel(HangfireView.StateName(job.State), job.State.ToDb())}</td>");
            Out($"<td>{job.Attempt} / {job.MaxAttempts}</td><td><div class=\"jp-args\" title=\"{E(job.ArgsJson)}\">{E(job.ArgsJson)}</div></td>");
            Out($"<td>{E(string.Join(", ", job.Tags))}{(job.TenantId is { } t ? " <span class=\"text-muted\">tenant " + E(t) + "</span>" : "")}</td>");
            Out($"<td class=\"align-right\">{Relative(job.CreatedAt)}</td></tr>");
        }

        Out("</tbody></table></div></div><ul class=\"pager\">");
        if (deeper)
        {
            Out($"<li class=\"previous\"><a href=\"{E(Url.To("/search" + query.QueryString()))}\">Newest</a></li>");
        }

        if (page.Next is { } next)
        {
            Out($"<li class=\"next\"><a class=\"jp-older\" href=\"{E(Url.To("/search" + query.QueryString("after", JobKey.Format(next))))}\">Older</a></li>");
        }

        Out("</ul>");
    }

    private void Bulk(string text, string verb, string scope, string url, string? countUrl, string style) =>
        Out($"<button class=\"jp-bulk btn btn-sm {style}\" data-scope=\"{scope}\" data-verb=\"{verb}\" data-url=\"{E(Url.To(url))}\"" +
            (countUrl is null ? "" : $" data-count-url=\"{E(Url.To(countUrl))}\"") + $" data-loading-text=\"{verb}…\">{E(text)}</button> ");
}
