using JobPlatform.TestSupport;

namespace JobPlatform.Cli.Tests;

public sealed class MigrateTests
{
    [Fact]
    public async Task Migrate_creates_the_platforms_and_the_catalogues_tables_then_reports_both_up_to_date()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);

        var latest = new Core.Schema.JobPlatformMigrator(db.DataSource, db.Schema).LatestVersion;
        var catalogue = Jobs.Schema.CatalogueSchema.CreateMigrator(db.DataSource, db.Schema).LatestVersion;
        var first = await db.RunOkAsync("migrate");
        Assert.Equal(
            $"schema '{db.Schema}': applied migrations {string.Join(", ", Enumerable.Range(1, latest))} (now at version {latest})\n" +
            $"job catalogue: applied migrations {string.Join(", ", Enumerable.Range(1, catalogue))} (now at version {catalogue})",
            first.Out.Trim().ReplaceLineEndings("\n"));
        Assert.Equal("", first.Err);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs"));
        // The catalogue's tables exist: a worker started on this schema has no schema change left to make.
        Assert.Equal(catalogue, await db.ScalarAsync<int>("SELECT max(version) FROM {schema}.jobs_migrations"));

        var second = await db.RunOkAsync("migrate");
        Assert.Equal($"schema '{db.Schema}' is up to date (version {latest})\njob catalogue is up to date (version {catalogue})",
            second.Out.Trim().ReplaceLineEndings("\n"));

        var json = (await db.RunOkAsync("migrate", "--json")).Json();
        Assert.Equal(db.Schema, json.GetProperty("schema").GetString());
        Assert.Equal(0, json.GetProperty("applied").GetArrayLength());
        Assert.Equal(latest, json.GetProperty("version").GetInt32());
        Assert.Equal(0, json.GetProperty("catalogue").GetProperty("applied").GetArrayLength());
        Assert.Equal(catalogue, json.GetProperty("catalogue").GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Check_changes_nothing_fails_until_migrated_and_waits_for_a_migration_running_elsewhere()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);

        var before = await db.RunAsync("migrate", "--check");
        Assert.Equal(1, before.ExitCode);
        Assert.Contains($"schema '{db.Schema}' is at version 0 (job catalogue 0)", before.Err);
        Assert.Contains($"run 'jobctl migrate --schema {db.Schema}' first", before.Err);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_schema = $1", db.Schema));

        // A pod's init step waits while the migration job runs; it passes once both histories are current.
        var waiting = db.RunAsync("migrate", "--check", "--wait", "60s");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(waiting.IsCompleted, "--check --wait returned before the schema was migrated");
        await db.RunOkAsync("migrate");
        var after = await waiting;
        Assert.Equal(0, after.ExitCode);
        Assert.Contains($"schema '{db.Schema}' is migrated", after.Out);

        var usage = await db.RunAsync("migrate", "--wait", "5s");
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("--wait goes with --check", usage.Err);
    }

    [Fact]
    public async Task Commands_on_an_unmigrated_schema_say_to_run_migrate()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);

        var result = await db.RunAsync("stats");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.ErrLines);
        Assert.Contains($"run 'jobctl migrate --schema {db.Schema}' first", line);
    }
}
