using JobPlatform.TestSupport;

namespace JobPlatform.Cli.Tests;

public sealed class MigrateTests
{
    [Fact]
    public async Task Migrate_creates_a_fresh_schema_then_reports_it_up_to_date()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);

        var latest = new Core.Schema.JobPlatformMigrator(db.DataSource, db.Schema).LatestVersion;
        var first = await db.RunOkAsync("migrate");
        Assert.Equal($"schema '{db.Schema}': applied migrations {string.Join(", ", Enumerable.Range(1, latest))} (now at version {latest})", first.Out.Trim());
        Assert.Equal("", first.Err);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs"));

        var second = await db.RunOkAsync("migrate");
        Assert.Equal($"schema '{db.Schema}' is up to date (version {latest})", second.Out.Trim());

        var json = (await db.RunOkAsync("migrate", "--json")).Json();
        Assert.Equal(db.Schema, json.GetProperty("schema").GetString());
        Assert.Equal(0, json.GetProperty("applied").GetArrayLength());
        Assert.Equal(latest, json.GetProperty("version").GetInt32());
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
