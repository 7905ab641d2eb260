using JobPlatform.Core.Monitoring;
using JobPlatform.TestSupport;
using Npgsql;

namespace JobPlatform.Core.Tests;

/// <summary>The read side for operators' tools, against rows of every state.</summary>
public sealed class MonitorTests
{
    [Fact]
    public async Task Counts_take_each_unfinished_or_failed_state_from_the_rows_and_leave_completed_jobs_out()
    {
        await using var db = await TestDatabase.CreateAsync();
        foreach (var (state, n) in new[] { (JobState.Available, 3), (JobState.Scheduled, 2), (JobState.Retryable, 4), (JobState.Running, 1),
                     (JobState.Completed, 5), (JobState.Discarded, 6), (JobState.Cancelled, 7) })
        {
            for (var i = 0; i < n; i++)
            {
                await db.InsertJobAsync(new FixtureJob { State = state });
            }
        }

        await db.ExecuteAsync("INSERT INTO {schema}.workers (id, host, pid, queues) VALUES ('w1', 'h', 1, '{default}'), ('old', 'h', 2, '{default}')");
        await db.ExecuteAsync("UPDATE {schema}.workers SET heartbeat_at = now() - interval '5 minutes' WHERE id = 'old'");
        var monitor = new JobMonitor(db.CreateClient());

        var counts = await monitor.GetCountsAsync();

        Assert.Equal(new StateCounts(3, 2, 4, 1, 6, 7, 1, 0, 1), counts);
        Assert.Equal(new ApproximateCount(5, true), await monitor.CountCompletedAsync());
        Assert.False((await monitor.CountCompletedAsync(cap: 4)).Exact);
        Assert.True((await monitor.CountCompletedAsync(cap: 4)).Value >= 4);
    }

    [Fact]
    public async Task The_counts_read_indexes_only_even_when_every_row_is_available()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.InsertManyAsync(JobState.Available, 20_000);
        await db.ExecuteAsync("ANALYZE {schema}.jobs_live");
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        // The view counts what this session has not yet reported, so the scans are the difference around the call.
        async Task<long> SeqScansAsync()
        {
            await using var scans = new NpgsqlCommand(
                "SELECT coalesce(sum(seq_scan), 0) FROM pg_stat_xact_user_tables WHERE schemaname = $1", connection, tx);
            scans.Parameters.Add(new NpgsqlParameter { Value = db.Schema });
            return Convert.ToInt64(await scans.ExecuteScalarAsync());
        }

        var before = await SeqScansAsync();
        await using (var counts = new NpgsqlCommand($"SELECT * FROM \"{db.Schema}\".live_state_counts()", connection, tx))
        {
            await using var r = await counts.ExecuteReaderAsync();
            Assert.True(await r.ReadAsync());
            Assert.Equal(20_000, r.GetInt64(0));
        }

        // The planner would read a table of nothing but available jobs sequentially; the function must not.
        Assert.Equal(before, await SeqScansAsync());
    }

    [Fact]
    public async Task Lists_page_each_state_in_the_order_it_is_worked_or_was_reached()
    {
        await using var db = await TestDatabase.CreateAsync();
        var low = await db.InsertJobAsync(new FixtureJob { State = JobState.Available, Priority = 5, Age = TimeSpan.FromMinutes(30) });
        var first = await db.InsertJobAsync(new FixtureJob { State = JobState.Available, Priority = 0, Age = TimeSpan.FromMinutes(20) });
        var second = await db.InsertJobAsync(new FixtureJob { State = JobState.Available, Priority = 0, Age = TimeSpan.FromMinutes(10) });
        await db.InsertJobAsync(new FixtureJob { State = JobState.Available, Queue = "other" });
        var soon = await db.InsertJobAsync(new FixtureJob { State = JobState.Scheduled, DueIn = TimeSpan.FromMinutes(1) });
        var later = await db.InsertJobAsync(new FixtureJob { State = JobState.Scheduled, DueIn = TimeSpan.FromMinutes(9) });
        var retry = await db.InsertJobAsync(new FixtureJob { State = JobState.Retryable });
        var oldDone = await db.InsertJobAsync(new FixtureJob { State = JobState.Completed, Age = TimeSpan.FromMinutes(50) });
        var liveDone = await db.InsertJobAsync(new FixtureJob { State = JobState.Completed, Age = TimeSpan.FromMinutes(40), UniqueKey = "k" });
        var newDone = await db.InsertJobAsync(new FixtureJob { State = JobState.Completed, Age = TimeSpan.FromMinutes(5) });
        var failed = await db.InsertJobAsync(new FixtureJob { State = JobState.Discarded });
        var monitor = new JobMonitor(db.CreateClient());

        Assert.Equal([first, second, low], Ids(await monitor.ListAsync(JobState.Available, 0, 10, "default")));
        Assert.Equal([second], Ids(await monitor.ListAsync(JobState.Available, 1, 1, "default")));
        Assert.Equal(3, await monitor.CountAvailableAsync("default"));
        Assert.Equal([soon, later], Ids(await monitor.ListAsync(JobState.Scheduled, 0, 10)));
        Assert.Equal([retry], Ids(await monitor.ListAsync(JobState.Retryable, 0, 10)));
        Assert.Equal([newDone, liveDone, oldDone], Ids(await monitor.ListAsync(JobState.Completed, 0, 10)));
        Assert.Equal([liveDone], Ids(await monitor.ListAsync(JobState.Completed, 1, 1)));
        var discarded = Assert.Single(await monitor.ListAsync(JobState.Discarded, 0, 10));
        Assert.Equal(failed, discarded.Id);
        Assert.Equal("fixture failure 1", Assert.Single(discarded.Errors).Message);
        Assert.Empty(await monitor.ListAsync(JobState.Cancelled, 0, 10));
        Assert.Equal([newDone, failed], Ids(await monitor.GetManyAsync([newDone, Guid.NewGuid(), failed])));

        var e = await Assert.ThrowsAsync<JobValidationException>(() => monitor.ListAsync(JobState.Available, 0, 10));
        Assert.Contains("name the queue", e.Message);
        await Assert.ThrowsAsync<JobValidationException>(() => monitor.ListAsync(JobState.Running, 0, JobMonitor.MaxPageSize + 1));
    }

    [Fact]
    public async Task Queues_show_what_waits_and_runs_how_old_the_backlog_is_and_which_workers_serve_them()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.InsertJobAsync(new FixtureJob { State = JobState.Available, Queue = "mail", Priority = 3, Age = TimeSpan.FromMinutes(30) });
        await db.InsertJobAsync(new FixtureJob { State = JobState.Available, Queue = "mail", Priority = 0, Age = TimeSpan.FromMinutes(5) });
        await db.InsertJobAsync(new FixtureJob { State = JobState.Retryable, Queue = "mail" });
        await db.InsertJobAsync(new FixtureJob { State = JobState.Scheduled, Queue = "later" });
        await db.InsertJobAsync(new FixtureJob { State = JobState.Running, Queue = "mail" });
        var client = db.CreateClient();
        await client.PauseQueueAsync("paused-empty");
        await db.ExecuteAsync("INSERT INTO {schema}.stats_minute (minute, queue, kind, completed) VALUES (date_trunc('minute', now()), 'recent', 'k', 4)");

        // A real worker's heartbeat reports its queues and their slots; "mail" is paused so that it leases nothing, and
        // without maintenance the fixture's running job is not rescued.
        await client.PauseQueueAsync("mail");
        await using (await EngineHarness.StartAsync(db, configure: o =>
                     {
                         o.Queues = new() { ["mail"] = 7, ["idle"] = 2 };
                         o.RunMaintenance = false;
                     }))
        {
            var monitor = new JobMonitor(client);
            await TestDatabase.WaitUntilAsync(async () => (await monitor.GetWorkersAsync()).Count == 1, TimeSpan.FromSeconds(10), "the worker's heartbeat");
            var worker = Assert.Single(await monitor.GetWorkersAsync());
            Assert.Equal(new Dictionary<string, int> { ["idle"] = 2, ["mail"] = 7 }, worker.Queues);
            Assert.Equal(9, worker.Slots);

            var queues = (await monitor.GetQueuesAsync()).ToDictionary(q => q.Name);
            Assert.Equal(["idle", "later", "mail", "paused-empty", "recent"], queues.Keys.Order());
            var mail = queues["mail"];
            Assert.Equal((1, 1, 0, 1, 7), (mail.LiveWorkers, mail.Running, mail.Scheduled, mail.Retryable, mail.Slots));
            Assert.Equal(2, mail.Available);
            Assert.True(mail.Paused);
            Assert.InRange(mail.OldestAvailableAge, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(31));
            Assert.True(queues["paused-empty"].Paused);
            Assert.Equal(1, queues["later"].Scheduled);
            Assert.Equal((0, 0), (queues["later"].LiveWorkers, queues["recent"].LiveWorkers));
        }
    }

    [Fact]
    public async Task The_oldest_available_age_is_that_of_the_job_due_first_whatever_its_priority()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.InsertJobAsync(new FixtureJob { State = JobState.Available, Priority = 9, Age = TimeSpan.FromMinutes(30) });
        await db.InsertJobAsync(new FixtureJob { State = JobState.Available, Priority = 0, Age = TimeSpan.FromMinutes(2) });
        var monitor = new JobMonitor(db.CreateClient());

        var queue = Assert.Single(await monitor.GetQueuesAsync());

        Assert.Equal(2, queue.Available);
        Assert.InRange(queue.OldestAvailableAge, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(31));
        Assert.False(queue.Paused);
    }

    [Fact]
    public async Task Outcomes_add_up_the_per_minute_statistics_in_buckets_and_per_queue()
    {
        await using var db = await TestDatabase.CreateAsync();
        var hour = new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);
        await db.ExecuteAsync("""
            INSERT INTO {schema}.stats_minute (minute, queue, kind, completed, failed, discarded, cancelled, run_ms_sum) VALUES
              ($1, 'a', 'k1', 10, 1, 1, 0, 1000), ($1, 'a', 'k2', 5, 0, 0, 2, 500), ($1 + interval '1 minute', 'b', 'k1', 3, 0, 0, 0, 30),
              ($1 + interval '1 hour', 'a', 'k1', 7, 0, 2, 0, 70)
            """, hour);
        var monitor = new JobMonitor(db.CreateClient());

        var hourly = await monitor.GetOutcomesAsync(hour, hour.AddHours(2), TimeSpan.FromHours(1));
        Assert.Equal([hour, hour.AddHours(1)], hourly.Select(b => b.Start));
        Assert.Equal(new OutcomeCounts(18, 1, 1, 2, 1530), hourly[0].Counts);
        Assert.Equal(new OutcomeCounts(25, 1, 3, 2, 1600), await monitor.GetOutcomeTotalsAsync(null, null));
        Assert.Equal(new OutcomeCounts(7, 0, 2, 0, 70), await monitor.GetOutcomeTotalsAsync(hour.AddMinutes(30), null));

        var minutes = await monitor.GetQueueMinutesAsync(hour);
        Assert.Equal(2, minutes["a"].Count);
        Assert.Equal(15, minutes["a"][0].Counts.Completed);
        Assert.Equal(2.0 / 17, minutes["a"][0].Counts.FailureRatio, 6);
        Assert.Equal(TimeSpan.FromMilliseconds(1500.0 / 17), minutes["a"][0].Counts.AverageRunTime);
        Assert.Equal(hour.AddMinutes(1), Assert.Single(minutes["b"]).Start);
    }

    private static List<Guid> Ids(IEnumerable<Job> jobs) => jobs.Select(j => j.Id).ToList();
}
