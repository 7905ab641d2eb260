using JobPlatform.Core;
using JobPlatform.TestSupport;
using Npgsql;

namespace JobPlatform.Core.Tests;

public sealed class ConnectionDefaultsTests
{
    [Theory]
    [InlineData("Host=h", ConnectionDefaults.MaxAutoPrepare)]
    [InlineData("Host=h;Max Auto Prepare=0", 0)]
    [InlineData("Host=h;maxautoprepare=7", 7)]
    [InlineData("Host=h;MAX AUTO PREPARE=3", 3)]
    public void Preparation_is_turned_on_unless_the_connection_string_decides(string connectionString, int expected)
    {
        var builder = ConnectionDefaults.Apply(new NpgsqlConnectionStringBuilder(connectionString));
        Assert.Equal(expected, builder.MaxAutoPrepare);
    }

    [Fact]
    public async Task Repeated_enqueues_run_as_prepared_statements()
    {
        await using var db = await TestDatabase.CreateAsync();
        var builder = new NpgsqlDataSourceBuilder(TestDatabase.ServerConnectionString);
        ConnectionDefaults.Apply(builder.ConnectionStringBuilder);
        // One connection, so that every enqueue meets the same server session.
        builder.ConnectionStringBuilder.MaxPoolSize = 1;
        await using var dataSource = builder.Build();
        var client = new JobClient(dataSource, new JobClientOptions { Schema = db.Schema });
        for (var i = 0; i < 10; i++)
        {
            await client.EnqueueAsync(new NoopArgs());
        }

        // Two statements, each prepared once: the insert (which may hand the job to an offered slot) and the wake-up.
        await using var count = dataSource.CreateCommand("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%jobs_live%'");
        Assert.Equal(2L, await count.ExecuteScalarAsync());
    }
}
