using Hangfire.Dashboard.Pages;
using JobPlatform.Core.Audit;
using JobPlatform.Dashboard.Access;
using JobPlatform.Dashboard.Storage;

namespace JobPlatform.Dashboard.Pages;

/// <summary>Every operator action, newest first: who, in which role, from where, what, on which jobs (or how many,
/// and the search), and what came of it. Admins only.</summary>
internal sealed class AuditPage : DashboardPage
{
    private const int PageSize = 50;
    private const int IdsShown = 5;

    public override void Execute()
    {
        Layout = new LayoutPage("Audit");
        Out("<div class=\"row\"><div class=\"col-md-12\"><h1 id=\"page-title\" class=\"page-header\">Audit</h1>");
        if (!DashboardRoles.IsAdmin(Http.User))
        {
            Http.Response.StatusCode = 403;
            Out("<div class=\"alert alert-warning\" role=\"alert\">The audit log is for admins; your role is " +
                E(DashboardRoles.Of(Http.User)?.Name() ?? "none") + ".</div></div></div>");
            return;
        }

        long? before = long.TryParse(Query("before"), out var b) ? b : null;
        var records = Wait(Service<AuditLog>().ListAsync(before, PageSize + 1));
        if (records.Count == 0)
        {
            Out($"<div class=\"alert alert-info\">{(before is null ? "No operator action has been recorded yet." : "No older actions.")}</div></div></div>");
            return;
        }

        Out("<div class=\"table-responsive\"><table class=\"table jp-audit\" aria-describedby=\"page-title\"><thead><tr>" +
            "<th>When</th><th>Who</th><th>From</th><th>Action</th><th>On</th><th>Jobs</th><th>Outcome</th></tr></thead><tbody>");
        foreach (var r in records.Take(PageSize))
        {
            Out($"<tr><td class=\"min-width\">{Relative(r.At)}</td><td>{E(r.Actor)}{(r.Role is { } role ? " <span class=\"text-muted\">(" + E(role) + ")</span>" : "")}</td>");
            Out($"<td>{E(r.Source)}</td><td><code>{E(r.Action)}</code></td><td>{E(r.Target)}</td><td class=\"jp-ids\">");
            if (r.JobCount > 0)
            {
                Out(N(r.JobCount) + (r.JobCount == 1 ? " job" : " jobs"));
                foreach (var id in r.JobIds.Take(IdsShown))
                {
                    Out(" " + Html.JobIdLink(JobKey.Format(id)));
                }

                if (r.JobIds.Count > IdsShown)
                {
                    Out(" …");
                }
            }

            Out($"</td><td>{E(r.Outcome)}</td></tr>");
        }

        Out("</tbody></table></div>");
        if (records.Count > PageSize)
        {
            Out($"<ul class=\"pager\"><li class=\"next\"><a href=\"{E(Url.To("/audit?before=" + records[PageSize - 1].Id))}\">Older</a></li></ul>");
        }

        Out("</div></div>");
    }
}
