using Hangfire.Storage;
using Hangfire.Storage.Monitoring;
using JobPlatform.Core;
using JobPlatform.Dashboard.Storage;
using JobPlatform.TestSupport;

namespace JobPlatform.Dashboard.Tests;

/// <summary>The storage adapter against real PostgreSQL: jobs in every state, then each call a dashboard page makes
/// returns what the rows say.</summary>
public sealed class StorageAdapterTests
{
    private static JobPlatformStorage StorageFor(TestDatabase db)
    {
        var client = db.CreateClient();
        return new JobPlatformStorage(client, new RecurringSchedules(client),
            new StorageSettings(TimeSpan.FromHours(24), TimeSpan.FromDays(7), TimeSpan.FromMilliseconds(1)));
    }

    [Fact]
    public async Task Statistics_count_every_state_from_the_rows_and_succeeded_from_the_statistics()
    {
        await using var db = await TestDatabase.CreateAsync();
        foreach (var (state, n) in new[] { (JobState.Available, 4), (JobState.Scheduled, 3), (JobState.Retryable, 2), (JobState.Running, 1),
                     (JobState.Completed, 5), (JobState.Discarded, 6), (JobState.Cancelled, 7) })
        {
            for (var i = 0; i < n; i++)
            {
                await db.InsertJobAsync(new FixtureJob { State = state, Queue = i % 2 == 0 ? "a" : "b" });
            }
        }

        await db.ExecuteAsync("INSERT INTO {schema}.stats_minute (minute, queue, kind, completed) VALUES " +
            "(date_trunc('minute', now()), 'a', 'k', 40), (date_trunc('hour', now()) - interval '3 hours', 'a', 'k', 2)");
        await db.ExecuteAsync("INSERT INTO {schema}.workers (id, host, pid, queues, concurrency) VALUES ('w1', 'h', 1, '{a,c}', '{5,2}')");

        var stats = StorageFor(db).GetMonitoringApi().GetStatistics();

        Assert.Equal((4, 3, 2, 1, 6, 7), (stats.Enqueued, stats.Scheduled, stats.Retries!.Value, stats.Processing, stats.Failed, stats.Deleted));
        Assert.Equal(42, stats.Succeeded);
        Assert.Equal((1, 0, 0, 3), (stats.Servers, stats.Recurring, stats.Awaiting!.Value, stats.Queues));
    }

    [Fact]
    public async Task Each_state_page_lists_its_jobs_with_the_fields_hangfire_shows()
    {
        await using var db = await TestDatabase.CreateAsync();
        var available = await db.InsertJobAsync(new FixtureJob { State = JobState.Available, Queue = "mail", Kind = "email.send" });
        var scheduled = await db.InsertJobAsync(new FixtureJob { State = JobState.Scheduled, DueIn = TimeSpan.FromMinutes(30) });
        var running = await db.InsertJobAsync(new FixtureJob { State = JobState.Running, Worker = "worker-7" });
        var completed = await db.InsertJobAsync(new FixtureJob { State = JobState.Completed });
        var discarded = await db.InsertJobAsync(new FixtureJob { State = JobState.Discarded, ErrorType = "System.TimeoutException", ErrorMessage = "gateway slow" });
        var cancelled = await db.InsertJobAsync(new FixtureJob { State = JobState.Cancelled });
        var monitor = StorageFor(db).GetMonitoringApi();

        var queues = monitor.Queues();
        var mail = Assert.Single(queues, q => q.Name == "mail");
        Assert.Equal(1, mail.Length);
        Assert.Null(mail.Fetched);
        Assert.Equal(JobKey.Format(available), Assert.Single(mail.FirstJobs).Key);

        var enqueued = Assert.Single(monitor.EnqueuedJobs("mail", 0, 10));
        Assert.Equal(1, monitor.EnqueuedCount("mail"));
        Assert.Equal("email.send", enqueued.Value.Job.Args[0]);
        Assert.True(enqueued.Value.InEnqueuedState);
        Assert.Empty(monitor.EnqueuedJobs("Not A Queue", 0, 10));

        var scheduledDto = Assert.Single(monitor.ScheduledJobs(0, 10));
        Assert.Equal(JobKey.Format(scheduled), scheduledDto.Key);
        Assert.InRange(scheduledDto.Value.EnqueueAt, DateTime.UtcNow.AddMinutes(29), DateTime.UtcNow.AddMinutes(31));

        var processing = Assert.Single(monitor.ProcessingJobs(0, 10));
        Assert.Equal(("worker-7", JobKey.Format(running)), (processing.Value.ServerId, processing.Key));
        Assert.NotNull(processing.Value.StartedAt);

        var succeeded = Assert.Single(monitor.SucceededJobs(0, 10));
        Assert.Equal(JobKey.Format(completed), succeeded.Key);
        Assert.True(long.Parse(succeeded.Value.StateData["PerformanceDuration"]) > 0);
        Assert.True(succeeded.Value.StateData.ContainsKey("Latency"));
        Assert.Equal(1, monitor.SucceededListCount());

        var failed = Assert.Single(monitor.FailedJobs(0, 10));
        Assert.Equal(JobKey.Format(discarded), failed.Key);
        Assert.Equal(("System.TimeoutException", "gateway slow 1"), (failed.Value.ExceptionType, failed.Value.ExceptionMessage));
        Assert.Contains("Fixture.Run", failed.Value.ExceptionDetails);
        Assert.Equal("Failed all 3 attempts", failed.Value.Reason);
        Assert.Equal(1, monitor.FailedCount());

        Assert.Equal(JobKey.Format(cancelled), Assert.Single(monitor.DeletedJobs(0, 10)).Key);
        Assert.Equal(1, monitor.DeletedListCount());
        Assert.Empty(monitor.FetchedJobs("mail", 0, 10));
    }

    [Fact]
    public async Task Job_details_show_the_kind_args_and_every_attempt_with_its_error()
    {
        await using var db = await TestDatabase.CreateAsync();
        var id = await db.InsertJobAsync(new FixtureJob
        {
            State = JobState.Discarded, Kind = "billing.charge", Args = """{"invoice":"inv-42","amount":1999}""", MaxAttempts = 3, Errors = 3,
            Tags = ["billing", "eu"], Tenant = "acme", Priority = 2, ErrorMessage = "card declined",
        });
        var monitor = StorageFor(db).GetMonitoringApi();

        var details = monitor.JobDetails(JobKey.Format(id))!;

        Assert.Equal("billing.charge", details.Job.Args[0]);
        Assert.Equal("billing.charge", details.Properties["Kind"]);
        Assert.Equal("3 / 3", details.Properties["Attempt"]);
        Assert.Equal("billing, eu", details.Properties["Tags"]);
        Assert.Equal("acme", details.Properties["Tenant"]);
        Assert.Contains("\"invoice\": \"inv-42\"", details.Properties["Args"]);
        Assert.Contains("\n", details.Properties["Args"]);
        Assert.NotNull(details.ExpireAt);
        // Newest first: the final failure, the last attempt's start, then the two earlier failures.
        Assert.Equal(["Failed", "Processing", "Failed", "Failed"], details.History.Select(h => h.StateName));
        Assert.Equal("card declined 3", details.History[0].Data["ExceptionMessage"]);
        Assert.Equal("card declined 1", details.History[^1].Data["ExceptionMessage"]);
        Assert.All(details.History.Where(h => h.StateName == "Failed"), h => Assert.True(h.Data.ContainsKey("ExceptionType")));
        Assert.Null(monitor.JobDetails(JobKey.Format(Guid.NewGuid())));
        Assert.Null(monitor.JobDetails("not-an-id"));
        // A plain UUID, as jobctl prints it, finds the job too.
        Assert.NotNull(monitor.JobDetails(id.ToString()));
    }

    [Fact]
    public async Task The_current_state_carries_the_keys_the_details_page_renders()
    {
        await using var db = await TestDatabase.CreateAsync();
        var running = await db.InsertJobAsync(new FixtureJob { State = JobState.Running, Worker = "w-9" });
        var retry = await db.InsertJobAsync(new FixtureJob { State = JobState.Retryable, Errors = 1, ErrorMessage = "smtp 451" });
        var monitor = StorageFor(db).GetMonitoringApi();

        var processing = monitor.JobDetails(JobKey.Format(running))!.History[0];
        Assert.Equal(("Processing", "w-9"), (processing.StateName, processing.Data["ServerId"]));

        var scheduled = monitor.JobDetails(JobKey.Format(retry))!.History[0];
        Assert.Equal("Scheduled", scheduled.StateName);
        Assert.True(scheduled.Data.ContainsKey("EnqueueAt"));
        Assert.Equal("Retry attempt 2 of 3: smtp 451 1", scheduled.Reason);
    }

    [Fact]
    public async Task The_retries_set_pages_the_retryable_jobs_and_serves_their_data_without_a_query_per_job()
    {
        await using var db = await TestDatabase.CreateAsync();
        var first = await db.InsertJobAsync(new FixtureJob { State = JobState.Retryable, DueIn = TimeSpan.FromMinutes(1) });
        var second = await db.InsertJobAsync(new FixtureJob { State = JobState.Retryable, DueIn = TimeSpan.FromMinutes(5) });
        using var connection = (JobStorageConnection)StorageFor(db).GetConnection();

        Assert.Equal(2, connection.GetSetCount("retries"));
        var page = connection.GetRangeFromSet("retries", 0, 9);
        Assert.Equal([JobKey.Format(first), JobKey.Format(second)], page);
        // The page's rows were read with the range: removing them now does not change what the page shows.
        await db.ExecuteAsync("DELETE FROM {schema}.jobs");
        Assert.Equal("Scheduled", connection.GetStateData(page[0])!.Name);
        Assert.Equal("fixture.kind", connection.GetJobData(page[1])!.Job.Args[0]);
        Assert.Empty(connection.GetRangeFromSet("awaiting", 0, 9));
    }

    [Fact]
    public async Task Recurring_schedules_appear_with_cron_zone_last_fire_the_last_jobs_state_and_the_triggers_next_fire()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var schedules = new RecurringSchedules(client);
        await schedules.AddOrUpdateAsync(new RecurringSchedule("nightly", "30 2 * * *", "report.generate") { TimeZone = "Europe/Berlin" });
        await schedules.AddOrUpdateAsync(new RecurringSchedule("paused", "0 * * * * ?", "platform.noop"));
        await schedules.PauseAsync("paused");
        var fired = await new RecurringFirer(client).TriggerAsync("nightly");
        // What a scheduler leaves once it applied the schedules: the rows marked applied, and Quartz's triggers with
        // their next fire time in UTC ticks. 'paused' shows none while it is paused.
        var next = new DateTimeOffset(2031, 3, 4, 1, 30, 0, TimeSpan.Zero);
        await db.ExecuteAsync("UPDATE {schema}.recurring_schedules SET applied_version = version");
        foreach (var id in new[] { "nightly", "paused" })
        {
            await db.ExecuteAsync(
                "INSERT INTO {schema}.qrtz_job_details (sched_name, job_name, job_group, job_class_name, is_durable, is_nonconcurrent, is_update_data, requests_recovery) " +
                "VALUES ('jobplatform', $1, 'recurring', 'RecurringFireJob', true, false, false, false)", id);
            await db.ExecuteAsync(
                "INSERT INTO {schema}.qrtz_triggers (sched_name, trigger_name, trigger_group, job_name, job_group, next_fire_time, trigger_state, trigger_type, start_time) " +
                "VALUES ('jobplatform', $1, 'recurring', $1, 'recurring', $2, 'WAITING', 'CRON', 0)", id, next.UtcTicks);
        }

        using var connection = (JobStorageConnection)StorageFor(db).GetConnection();

        var ids = connection.GetRangeFromSet("recurring-jobs", 0, 9);
        var dtos = connection.GetRecurringJobs(ids);

        Assert.Equal(["nightly", "paused"], ids);
        var nightly = dtos[0];
        Assert.Equal(("30 2 * * *", "Europe/Berlin", "report.generate"), (nightly.Cron, nightly.TimeZoneId, nightly.Job.Args[0]));
        Assert.Equal(next.UtcDateTime, nightly.NextExecution);
        Assert.NotNull(nightly.LastExecution);
        Assert.Equal(JobKey.Format(fired.JobId!.Value), nightly.LastJobId);
        Assert.Equal("Enqueued", nightly.LastJobState);
        Assert.NotNull(nightly.CreatedAt);
        Assert.Null(dtos[1].NextExecution);
        Assert.Equal(2, connection.GetSetCount("recurring-jobs"));
        Assert.Equal(["nightly", "paused"], connection.GetAllItemsFromSet("recurring-jobs").Order());
    }

    [Fact]
    public async Task Servers_are_the_live_workers_with_their_queues_and_slots()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.ExecuteAsync("INSERT INTO {schema}.workers (id, host, pid, queues, concurrency) VALUES ('w1', 'h', 1, '{default,mail}', '{10,4}')");
        var monitor = StorageFor(db).GetMonitoringApi();

        var server = Assert.Single(monitor.Servers());

        Assert.Equal(("w1", 14), (server.Name, server.WorkersCount));
        Assert.Equal(["default", "mail"], server.Queues);
        Assert.NotNull(server.Heartbeat);
    }

    [Fact]
    public async Task History_graphs_have_every_hour_of_the_day_and_every_day_of_the_week()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.ExecuteAsync("INSERT INTO {schema}.stats_minute (minute, queue, kind, completed, discarded, cancelled) VALUES " +
            "(date_trunc('hour', now()) + interval '5 minutes', 'a', 'k', 7, 1, 2), (date_trunc('hour', now()) - interval '2 hours', 'a', 'k', 3, 0, 0)");
        var monitor = (Hangfire.Storage.JobStorageMonitor)StorageFor(db).GetMonitoringApi();

        var hourly = monitor.HourlySucceededJobs();
        Assert.Equal(24, hourly.Count);
        Assert.Equal(10, hourly.Values.Sum());
        Assert.Equal(7, hourly[hourly.Keys.Max()]);
        Assert.Equal(1, monitor.HourlyFailedJobs().Values.Sum());
        Assert.Equal(2, monitor.HourlyDeletedJobs().Values.Sum());
        var daily = monitor.SucceededByDatesCount();
        Assert.Equal(7, daily.Count);
        Assert.True(daily.Values.Sum() >= 7);
    }

    [Fact]
    public async Task The_storage_is_read_only_and_names_itself_without_the_connection_string()
    {
        await using var db = await TestDatabase.CreateAsync();
        var storage = StorageFor(db);
        using var connection = storage.GetConnection();

        Assert.Throws<NotSupportedException>(() => connection.CreateWriteTransaction());
        Assert.Throws<NotSupportedException>(() => connection.FetchNextJob(["default"], CancellationToken.None));
        Assert.Equal($"JobPlatform (schema {db.Schema})", storage.ToString());
        Assert.True(storage.HasFeature(Hangfire.Storage.JobStorageFeatures.Connection.GetUtcDateTime));
        Assert.InRange(((JobStorageConnection)connection).GetUtcDateTime(), DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
    }
}
