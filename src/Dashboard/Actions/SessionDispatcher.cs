using System.Text.Json;
using Hangfire.Dashboard;
using JobPlatform.Dashboard.Access;
using Microsoft.Extensions.DependencyInjection;

namespace JobPlatform.Dashboard.Actions;

/// <summary><c>/dashboard/session</c>: who is signed in, for the dashboard's script to show with a sign-out button.</summary>
internal sealed class SessionDispatcher : IDashboardDispatcher
{
    public async Task Dispatch(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var who = Operator.Of(http);
        var settings = http.RequestServices.GetRequiredService<DashboardSettings>();
        var retention = http.RequestServices.GetRequiredService<Storage.StorageSettings>();
        http.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(http.Response.Body, new
        {
            name = who.Name,
            role = who.Role?.Name() ?? "none",
            canAct = who.CanAct,
            signOut = settings.HasSignIn ? "/logout" : null,
            failedNote = $"Failed jobs are kept for {retention.DiscardedRetention.TotalDays:0.#} days after they fail (JobPlatform:Worker:DiscardedRetention), " +
                "then pruned. Requeue gives a job one more attempt; Delete moves it to Deleted.",
        }, cancellationToken: http.RequestAborted);
    }
}
