using JobPlatform.Core;
using JobPlatform.Core.Execution;
using JobPlatform.Core.Schema;
using JobPlatform.TestSupport;
using Npgsql;

namespace JobPlatform.Core.Tests;

public sealed class SchemaTests
{
    [Fact]
    public async Task Concurrent_migrations_apply_each_version_once()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        var migrator = new JobPlatformMigrator(db.DataSource, db.Schema);
        var runs = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => migrator.MigrateAsync())));
        Assert.Single(runs, r => r.Count > 0);
        Assert.Equal(migrator.LatestVersion, await migrator.GetCurrentVersionAsync());
        Assert.Empty(await migrator.MigrateAsync());
    }

    [Fact]
    public async Task Schema_at_version_1_with_waiting_jobs_upgrades_and_its_jobs_are_worked()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        var migrator = new JobPlatformMigrator(db.DataSource, db.Schema);
        Assert.Equal([1], await migrator.MigrateToAsync(1, default));
        // A job written by the version-1 statement, as a client of that version would.
        await db.ExecuteAsync("INSERT INTO {schema}.jobs (id, queue, kind, args, state, max_attempts) " +
            "VALUES ('01900000-0000-7000-8000-000000000001', 'default', 'platform.noop', '{}', 'available', 3)");

        Assert.Equal(Enumerable.Range(2, migrator.LatestVersion - 1), await migrator.MigrateAsync());

        var client = db.CreateClient();
        await using var engine = await EngineHarness.StartAsync(db);
        var job = await JobWait.ForStateAsync(client, Guid.Parse("01900000-0000-7000-8000-000000000001"), JobState.Completed);
        Assert.Equal(1, job.Attempt);
    }

    [Fact]
    public async Task Upgrading_to_version_6_archives_the_completed_jobs_already_recorded()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        var migrator = new JobPlatformMigrator(db.DataSource, db.Schema);
        await migrator.MigrateToAsync(5, default);
        await db.ExecuteAsync("INSERT INTO {schema}.jobs (id, queue, kind, args, state, max_attempts, attempt, finalized_at, unique_key, unique_states) VALUES " +
            "('01900000-0000-7000-8000-000000000001', 'default', 'platform.noop', '{}', 'completed', 3, 1, now(), NULL, NULL), " +
            "('01900000-0000-7000-8000-000000000002', 'default', 'platform.noop', '{}', 'completed', 3, 1, now(), 'k', 31), " +
            "('01900000-0000-7000-8000-000000000003', 'default', 'platform.noop', '{}', 'discarded', 3, 3, now(), NULL, NULL), " +
            "('01900000-0000-7000-8000-000000000004', 'default', 'platform.noop', '{}', 'available', 3, 0, NULL, NULL, NULL)");

        Assert.Equal([6], await migrator.MigrateToAsync(6, default));

        var partitions = await db.ScalarAsync<string>(
            "SELECT string_agg(right(id::text, 1) || ':' || tableoid::regclass::text, ' ' ORDER BY id) FROM {schema}.jobs");
        Assert.Equal($"1:{db.Schema}.jobs_archive 2:{db.Schema}.jobs_live 3:{db.Schema}.jobs_live 4:{db.Schema}.jobs_live", partitions);
    }

    [Fact]
    public async Task Unmigrated_schema_reports_version_zero()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        Assert.Equal(0, await new JobPlatformMigrator(db.DataSource, db.Schema).GetCurrentVersionAsync());
    }

    [Theory]
    [InlineData("UPDATE {schema}.jobs SET attempt = max_attempts + 1", "jobs_attempt_within_max")]
    [InlineData("UPDATE {schema}.jobs SET state = 'completed'", "jobs_finalized_has_time")]
    [InlineData("UPDATE {schema}.jobs SET state = 'running'", "jobs_running_has_attempt")]
    [InlineData("UPDATE {schema}.jobs SET priority = 12", "jobs_priority_range")]
    [InlineData("UPDATE {schema}.jobs SET queue = 'Nope!'", "jobs_queue_format")]
    public async Task Schema_constraints_reject_impossible_rows(string sql, string constraint)
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.CreateClient().EnqueueAsync(new NoopArgs());
        var e = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync(sql));
        Assert.Equal(constraint, e.ConstraintName);
    }

    [Theory]
    [InlineData("default")]
    [InlineData("a")]
    [InlineData("emails_2.eu-west")]
    [InlineData("0123456789abcdefghijklmnopqrstuvwxyz_.-0123456789abcdefghijklmno")]
    [InlineData("0123456789abcdefghijklmnopqrstuvwxyz_.-0123456789abcdefghijklmnop")]
    [InlineData("")]
    [InlineData("Emails")]
    [InlineData("e mails")]
    [InlineData("emails\n")]
    [InlineData("émails")]
    [InlineData("emails;")]
    [InlineData("em%ails")]
    public async Task The_database_accepts_the_queue_names_the_client_accepts_and_no_others(string queue)
    {
        await using var db = await TestDatabase.CreateAsync();
        var rejection = Record.Exception(() => JobValidator.ValidateQueue(queue));
        Assert.True(rejection is null or JobValidationException);
        var clientAccepts = rejection is null;
        var insert = db.ExecuteAsync("INSERT INTO {schema}.jobs_live (id, queue, kind, args, state, max_attempts) " +
            "VALUES ('01900000-0000-7000-8000-000000000001', $1, 'platform.noop', '{}', 'available', 3)", queue);
        if (clientAccepts)
        {
            await insert;
            Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs"));
        }
        else
        {
            var e = await Assert.ThrowsAsync<PostgresException>(() => insert);
            Assert.Equal("jobs_queue_format", e.ConstraintName);
        }
    }

    [Fact]
    public void Bad_schema_name_is_rejected_with_the_setting_named()
    {
        var e = Assert.Throws<ArgumentException>(() => new JobPlatformMigrator(NpgsqlDataSource.Create("Host=127.0.0.1"), "drop table;"));
        Assert.Contains("JobPlatform:Schema", e.Message);
    }

    [Fact]
    public void State_machine_lists_every_transition_and_final_states_only_leave_by_an_operator()
    {
        Assert.Equal(16, JobStateMachine.Transitions.Count);
        foreach (var (from, to, by) in JobStateMachine.Transitions.Where(t => t.From.IsFinal()))
        {
            Assert.StartsWith("operator", by);
            Assert.True(to == JobState.Available || (from, to) == (JobState.Discarded, JobState.Cancelled), $"{from} -> {to}");
        }

        Assert.False(JobStateMachine.IsAllowed(JobState.Available, JobState.Completed));
        Assert.True(JobStateMachine.IsAllowed(JobState.Running, JobState.Scheduled));
        Assert.All(JobStateNames.All, s => Assert.Equal(s, JobStateNames.Parse(s.ToDb())));
    }

    [Fact]
    public async Task Upgrading_to_version_14_renames_the_schedulers_stored_job_types_and_revives_their_failed_triggers()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        var migrator = new JobPlatformMigrator(db.DataSource, db.Schema);
        await migrator.MigrateToAsync(13, default);
        // What a scheduler from before the move left, after a newer one failed to load the types.
        foreach (var (job, type) in new[] { ("nightly", "JobPlatform.Hosting.RecurringFireJob, JobPlatform.Hosting"), ("maintenance", "JobPlatform.Hosting.PlatformTaskJob, JobPlatform.Hosting"), ("other", "Acme.Jobs.Report, Acme") })
        {
            await db.ExecuteAsync(
                "INSERT INTO {schema}.qrtz_job_details (sched_name, job_name, job_group, job_class_name, is_durable, is_nonconcurrent, is_update_data, requests_recovery) " +
                "VALUES ('jobplatform', $1, 'g', $2, true, false, false, false)", job, type);
            await db.ExecuteAsync(
                "INSERT INTO {schema}.qrtz_triggers (sched_name, trigger_name, trigger_group, job_name, job_group, next_fire_time, trigger_state, trigger_type, start_time) " +
                "VALUES ('jobplatform', $1, 'g', $1, 'g', 0, 'ERROR', 'CRON', 0)", job);
        }

        Assert.Equal([14], (await migrator.MigrateAsync()).Where(v => v >= 14));
        Assert.Equal("JobPlatform.Scheduler.Hosting.RecurringFireJob, JobPlatform.Scheduler.Hosting",
            await db.ScalarAsync<string>("SELECT job_class_name FROM {schema}.qrtz_job_details WHERE job_name = 'nightly'"));
        Assert.Equal("JobPlatform.Scheduler.Hosting.PlatformTaskJob, JobPlatform.Scheduler.Hosting",
            await db.ScalarAsync<string>("SELECT job_class_name FROM {schema}.qrtz_job_details WHERE job_name = 'maintenance'"));
        Assert.Equal("WAITING", await db.ScalarAsync<string>("SELECT trigger_state FROM {schema}.qrtz_triggers WHERE job_name = 'nightly'"));
        Assert.Equal("WAITING", await db.ScalarAsync<string>("SELECT trigger_state FROM {schema}.qrtz_triggers WHERE job_name = 'maintenance'"));
        // Anything else is left as it was.
        Assert.Equal("ERROR", await db.ScalarAsync<string>("SELECT trigger_state FROM {schema}.qrtz_triggers WHERE job_name = 'other'"));
    }
}
