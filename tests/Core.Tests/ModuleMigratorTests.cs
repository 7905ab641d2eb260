using JobPlatform.Core.Schema;
using JobPlatform.TestSupport;

namespace JobPlatform.Core.Tests;

public sealed class ModuleMigratorTests
{
    private static KeyValuePair<string, string> File(string name, string sql) => new(name, sql);

    [Fact]
    public async Task Module_migrations_apply_once_in_order_beside_the_job_tables()
    {
        await using var db = await TestDatabase.CreateAsync();
        var migrator = new ModuleMigrator(db.DataSource, db.Schema, "shop",
        [
            File("0002_price", "ALTER TABLE {{schema}}.shop_items ADD COLUMN price integer NOT NULL DEFAULT 0"),
            File("0001_items", "CREATE TABLE {{schema}}.shop_items (id integer PRIMARY KEY)"),
        ]);

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => migrator.MigrateAsync())));

        Assert.Equal([1, 2], runs.Single(r => r.Count > 0));
        Assert.Empty(await migrator.MigrateAsync());
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.shop_migrations"));
        Assert.Equal(0, await db.ScalarAsync<int>("INSERT INTO {schema}.shop_items (id) VALUES (1) RETURNING price"));
        // The platform's own history is untouched by the module's.
        Assert.Equal(new JobPlatformMigrator(db.DataSource, db.Schema).LatestVersion, await new JobPlatformMigrator(db.DataSource, db.Schema).GetCurrentVersionAsync());
    }

    [Fact]
    public async Task A_failing_module_migration_leaves_nothing_behind()
    {
        await using var db = await TestDatabase.CreateAsync();
        var migrator = new ModuleMigrator(db.DataSource, db.Schema, "shop",
        [
            File("0001_items", "CREATE TABLE {{schema}}.shop_items (id integer PRIMARY KEY)"),
            File("0002_broken", "ALTER TABLE {{schema}}.no_such_table ADD COLUMN x integer"),
        ]);

        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => migrator.MigrateAsync());

        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass($1) IS NOT NULL", db.Schema + ".shop_items"));
        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass($1) IS NOT NULL", db.Schema + ".shop_migrations"));
    }

    [Fact]
    public async Task A_database_newer_than_the_build_is_refused()
    {
        await using var db = await TestDatabase.CreateAsync();
        await new ModuleMigrator(db.DataSource, db.Schema, "shop", [File("0001_a", "SELECT 1"), File("0002_b", "SELECT 1")]).MigrateAsync();

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => new ModuleMigrator(db.DataSource, db.Schema, "shop", [File("0001_a", "SELECT 1")]).MigrateAsync());
        Assert.Contains("shop_migrations records migration 2, newer than this build knows (1)", e.Message);
    }

    [Theory]
    [InlineData("Shop")]
    [InlineData("1shop")]
    [InlineData("shop;drop")]
    [InlineData("")]
    public void Bad_module_names_are_refused(string module)
    {
        var e = Assert.Throws<ArgumentException>(() => new ModuleMigrator(Npgsql.NpgsqlDataSource.Create("Host=127.0.0.1"), "jobplatform", module, []));
        Assert.Contains("Module name", e.Message);
    }

    [Fact]
    public void Two_files_with_one_number_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new ModuleMigrator(Npgsql.NpgsqlDataSource.Create("Host=127.0.0.1"), "jobplatform", "shop",
            [File("0001_a", "SELECT 1"), File("0001_b", "SELECT 1")]));
        Assert.Contains("two migrations numbered 1", e.Message);
    }
}
