using System.Net;
using System.Text.Json;
using JobPlatform.Core;
using JobPlatform.Core.Audit;
using JobPlatform.Dashboard.Storage;
using JobPlatform.TestSupport;

namespace JobPlatform.Dashboard.Tests;

/// <summary>The dashboard's buttons reach JobPlatform's operations, tell what they did, and are audited.</summary>
public sealed class ActionTests
{
    [Fact]
    public async Task An_operators_requeue_retries_the_job_and_is_audited_with_who_from_where_and_what()
    {
        await using var host = await DashboardHost.StartAsync();
        var failed = await host.Database.InsertJobAsync(new FixtureJob { State = JobState.Discarded });
        using var op = await host.SignInAsync("operator");

        var response = await DashboardHost.PostActionAsync(op, "/dashboard/jobs/failed/requeue", [new("jobs[]", JobKey.Format(failed))]);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Contains("jp_notice=Requeued%201%20job.", response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("jp_notice")));
        Assert.Equal(JobState.Available, (await host.Client.GetAsync(failed))!.State);
        var entry = (await new AuditLog(host.Client).ListAsync(null, 10)).First(r => r.Action == "jobs.retry");
        Assert.Equal(("operator", "operator", "127.0.0.1", "failed"), (entry.Actor, entry.Role, entry.Source, entry.Target));
        Assert.Equal([failed], entry.JobIds);
        Assert.Equal("Requeued 1 job.", entry.Outcome);
    }

    [Fact]
    public async Task A_batch_of_five_hundred_selected_jobs_is_one_statement()
    {
        await using var host = await DashboardHost.StartAsync();
        var db = host.Database;
        await db.InsertManyAsync(JobState.Discarded, 500);
        var ids = await AllIdsAsync(db);
        await db.ExecuteAsync("CREATE TABLE {schema}.statements (n int)");
        await db.ExecuteAsync("CREATE FUNCTION {schema}.count_statement() RETURNS trigger LANGUAGE plpgsql AS $$ " +
            "BEGIN INSERT INTO " + $"\"{db.Schema}\"" + ".statements VALUES (1); RETURN NULL; END $$");
        await db.ExecuteAsync("CREATE TRIGGER count_updates AFTER UPDATE ON {schema}.jobs FOR EACH STATEMENT EXECUTE FUNCTION {schema}.count_statement()");
        using var op = await host.SignInAsync("operator");

        var response = await DashboardHost.PostActionAsync(op, "/dashboard/jobs/failed/requeue", ids.Select(id => new KeyValuePair<string, string>("jobs[]", JobKey.Format(id))));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(500, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs WHERE state = 'available'"));
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.statements"));
        var entry = (await new AuditLog(host.Client).ListAsync(null, 10)).First(r => r.Action == "jobs.retry");
        Assert.Equal(500, entry.JobCount);
    }

    [Fact]
    public async Task A_refused_action_answers_why_instead_of_spinning()
    {
        await using var host = await DashboardHost.StartAsync();
        var running = await host.Database.InsertJobAsync(new FixtureJob { State = JobState.Running });
        using var op = await host.SignInAsync("operator");

        var requeue = await DashboardHost.PostActionAsync(op, "/dashboard/jobs/processing/requeue", [new("jobs[]", JobKey.Format(running))]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, requeue.StatusCode);
        Assert.Equal("text/plain", requeue.Content.Headers.ContentType!.MediaType);
        Assert.Equal("Requeued 0 jobs. Not requeued: 1 running (a running job cannot be requeued; Delete cancels it).", await requeue.Content.ReadAsStringAsync());
        var empty = await DashboardHost.PostActionAsync(op, "/dashboard/jobs/failed/delete");
        Assert.Equal("No job was selected.", await empty.Content.ReadAsStringAsync());
        var entry = (await new AuditLog(host.Client).ListAsync(null, 10)).First(r => r.Action == "jobs.retry");
        Assert.StartsWith("refused: ", entry.Outcome);
    }

    [Fact]
    public async Task Delete_cancels_waiting_jobs_tells_running_ones_and_moves_failed_ones_to_deleted()
    {
        await using var host = await DashboardHost.StartAsync();
        var db = host.Database;
        var scheduled = await db.InsertJobAsync(new FixtureJob { State = JobState.Scheduled });
        var running = await db.InsertJobAsync(new FixtureJob { State = JobState.Running });
        var failed = await db.InsertJobAsync(new FixtureJob { State = JobState.Discarded });
        using var op = await host.SignInAsync("operator");

        var scheduledDelete = await DashboardHost.PostActionAsync(op, "/dashboard/jobs/scheduled/delete", [new("jobs[]", JobKey.Format(scheduled))]);
        var runningDelete = await DashboardHost.PostActionAsync(op, "/dashboard/jobs/actions/delete/" + JobKey.Format(running));
        var failedDelete = await DashboardHost.PostActionAsync(op, "/dashboard/jobs/failed/delete", [new("jobs[]", JobKey.Format(failed))]);

        Assert.All(new[] { scheduledDelete, runningDelete, failedDelete }, r => Assert.Equal(HttpStatusCode.NoContent, r.StatusCode));
        Assert.Equal(JobState.Cancelled, (await host.Client.GetAsync(scheduled))!.State);
        Assert.NotNull((await host.Client.GetAsync(running))!.CancelRequestedAt);
        Assert.Equal(JobState.Cancelled, (await host.Client.GetAsync(failed))!.State);
        Assert.Contains("told to stop", Uri.UnescapeDataString(runningDelete.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("jp_notice"))));
    }

    [Fact]
    public async Task Pause_and_resume_on_the_backlog_change_the_queue_and_are_audited()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.Database.InsertJobAsync(new FixtureJob { State = JobState.Available, Queue = "mail" });
        using var op = await host.SignInAsync("operator");

        Assert.Equal(HttpStatusCode.NoContent, (await DashboardHost.PostActionAsync(op, "/dashboard/backlog/pause/mail")).StatusCode);
        Assert.True(await host.Database.ScalarAsync<bool>("SELECT paused_at IS NOT NULL FROM {schema}.queues WHERE name = 'mail'"));
        Assert.Contains("jp-resume", await op.GetStringAsync("/dashboard/backlog/table"));

        Assert.Equal(HttpStatusCode.NoContent, (await DashboardHost.PostActionAsync(op, "/dashboard/backlog/resume/mail")).StatusCode);
        Assert.True(await host.Database.ScalarAsync<bool>("SELECT paused_at IS NULL FROM {schema}.queues WHERE name = 'mail'"));
        var bad = await DashboardHost.PostActionAsync(op, "/dashboard/backlog/pause/Bad%20Queue");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("is not valid", await bad.Content.ReadAsStringAsync());

        var actions = (await new AuditLog(host.Client).ListAsync(null, 10)).Select(r => (r.Action, r.Target)).ToList();
        Assert.Contains(("queue.pause", "mail"), actions);
        Assert.Contains(("queue.resume", "mail"), actions);
    }

    [Fact]
    public async Task Trigger_now_enqueues_the_schedules_job_schedules_pause_and_resume_and_a_configured_one_cannot_be_deleted()
    {
        await using var host = await DashboardHost.StartAsync();
        var schedules = new RecurringSchedules(host.Client);
        await schedules.AddOrUpdateAsync(new RecurringSchedule("nightly", "0 30 2 * * ?", "report.generate"));
        await schedules.SyncConfigurationAsync([new RecurringSchedule("configured", "0 0 * * * ?", "platform.noop")]);
        using var op = await host.SignInAsync("operator");

        var trigger = await DashboardHost.PostActionAsync(op, "/dashboard/recurring/trigger", [new("jobs[]", "nightly")]);
        Assert.Equal(HttpStatusCode.NoContent, trigger.StatusCode);
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs WHERE kind = 'report.generate'"));

        var pause = await DashboardHost.PostActionAsync(op, "/dashboard/recurring/pause", [new("jobs[]", "nightly"), new("jobs[]", "configured")]);
        Assert.Equal(HttpStatusCode.NoContent, pause.StatusCode);
        Assert.True((await schedules.GetAsync("nightly"))!.Paused);
        Assert.True((await schedules.GetAsync("configured"))!.Paused);
        Assert.Equal(HttpStatusCode.NoContent, (await DashboardHost.PostActionAsync(op, "/dashboard/recurring/resume", [new("jobs[]", "nightly")])).StatusCode);
        Assert.False((await schedules.GetAsync("nightly"))!.Paused);

        var remove = await DashboardHost.PostActionAsync(op, "/dashboard/recurring/remove", [new("jobs[]", "configured")]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, remove.StatusCode);
        Assert.Contains("configuration", await remove.Content.ReadAsStringAsync());
        Assert.NotNull(await schedules.GetAsync("configured"));
    }

    [Fact]
    public async Task A_bulk_action_over_a_search_states_its_count_acts_on_the_matches_only_and_is_bounded()
    {
        await using var host = await DashboardHost.StartAsync(settings: new() { ["Dashboard:BulkActionLimit"] = "30" });
        var db = host.Database;
        await db.InsertManyAsync(JobState.Discarded, 40, kind: "email.send");
        await db.InsertManyAsync(JobState.Discarded, 5, kind: "image.thumbnail");
        using var op = await host.SignInAsync("operator");

        var count = JsonDocument.Parse(await op.GetStringAsync("/dashboard/search/count?kind=email.send&state=discarded")).RootElement;
        Assert.Equal(30, count.GetProperty("count").GetInt32());
        Assert.True(count.GetProperty("capped").GetBoolean());
        Assert.Equal("the newest 30 of the more than 30 jobs matching kind = email.send, state = discarded (at most 30 per action)",
            count.GetProperty("description").GetString());

        var retry = await DashboardHost.PostActionAsync(op, "/dashboard/search/retry?kind=email.send&state=discarded", token: await DashboardHost.PageTokenAsync(op, "/dashboard/search"));
        Assert.Equal(HttpStatusCode.NoContent, retry.StatusCode);
        Assert.Equal(30, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs WHERE kind = 'email.send' AND state = 'available'"));
        Assert.Equal(5, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs WHERE kind = 'image.thumbnail' AND state = 'discarded'"));
        var entry = (await new AuditLog(host.Client).ListAsync(null, 10)).First(r => r.Action == "jobs.retry");
        Assert.Equal("search: kind = email.send, state = discarded", entry.Target);
        Assert.Equal(30, entry.JobCount);

        var unfiltered = await DashboardHost.PostActionAsync(op, "/dashboard/search/cancel");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unfiltered.StatusCode);
        Assert.Contains("needs at least one filter", await unfiltered.Content.ReadAsStringAsync());
        var badFilter = await DashboardHost.PostActionAsync(op, "/dashboard/search/cancel?args=%7B%22to%22");
        Assert.Contains("Args filter is not valid JSON", await badFilter.Content.ReadAsStringAsync());
    }

    private static async Task<List<Guid>> AllIdsAsync(TestDatabase db)
    {
        var ids = new List<Guid>();
        await using var cmd = db.DataSource.CreateCommand($"SELECT id FROM \"{db.Schema}\".jobs");
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }
}
