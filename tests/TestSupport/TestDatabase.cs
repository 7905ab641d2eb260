using JobPlatform.Core;
using JobPlatform.Core.Schema;
using Npgsql;

namespace JobPlatform.TestSupport;

/// <summary>
/// A freshly migrated schema of its own in the PostgreSQL that ./test.sh started, so tests run in parallel
/// without seeing each other's jobs. Dropped on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string EnvironmentVariable = "JOBPLATFORM_TEST_DB";

    private TestDatabase(string connectionString, string schema, NpgsqlDataSource dataSource)
    {
        ConnectionString = connectionString;
        Schema = schema;
        DataSource = dataSource;
    }

    /// <summary>Connection string of the test server (no schema in it).</summary>
    public string ConnectionString { get; }

    /// <summary>This test's schema.</summary>
    public string Schema { get; }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>The server's connection string; fails loudly when the tests run outside ./test.sh.</summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set. Run the tests through ./test.sh, which starts a throwaway PostgreSQL and sets it.");

    public static async Task<TestDatabase> CreateAsync(bool migrate = true)
    {
        var cs = ServerConnectionString;
        var schema = "t_" + Guid.NewGuid().ToString("N")[..16];
        var builder = new NpgsqlDataSourceBuilder(cs);
        builder.ConnectionStringBuilder.MaxPoolSize = 40;
        // As the hosts and jobctl run: statements prepared per connection.
        ConnectionDefaults.Apply(builder.ConnectionStringBuilder);
        var dataSource = builder.Build();
        if (migrate)
        {
            await new JobPlatformMigrator(dataSource, schema).MigrateAsync();
        }

        return new TestDatabase(cs, schema, dataSource);
    }

    public JobClient CreateClient(JobClientOptions? options = null, TimeProvider? time = null)
    {
        options ??= new JobClientOptions();
        options.Schema = Schema;
        return new JobClient(DataSource, options, time);
    }

    /// <summary>Engine options for this schema with test-friendly (fast) intervals.</summary>
    public JobEngineOptions EngineOptions(int concurrency = 10, string queue = "default") => new()
    {
        Schema = Schema,
        Queues = new() { [queue] = concurrency },
        PollInterval = TimeSpan.FromMilliseconds(200),
        WorkerLostAfter = TimeSpan.FromSeconds(3),
        ShutdownTimeout = TimeSpan.FromSeconds(5),
        CancelGrace = TimeSpan.FromSeconds(2),
        Tuning = new JobEngineTuning
        {
            CompletionFlushInterval = TimeSpan.FromMilliseconds(1),
            HeartbeatInterval = TimeSpan.FromSeconds(1),
            PromoteInterval = TimeSpan.FromMilliseconds(200),
            RescueInterval = TimeSpan.FromMilliseconds(500),
            LeaderLease = TimeSpan.FromSeconds(3),
        },
    };

    /// <summary>Runs SQL with {schema} replaced by this test's quoted schema and returns the first column of the first row.</summary>
    public async Task<T> ScalarAsync<T>(string sql, params object[] args)
    {
        await using var cmd = DataSource.CreateCommand(sql.Replace("{schema}", $"\"{Schema}\""));
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        var value = await cmd.ExecuteScalarAsync();
        return (T)Convert.ChangeType(value!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql, params object[] args)
    {
        await using var cmd = DataSource.CreateCommand(sql.Replace("{schema}", $"\"{Schema}\""));
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>A database-side insert failure that validation cannot catch: a trigger raising "refused by trigger"
    /// for job rows matching <paramref name="condition"/> (SQL over <c>NEW</c>).</summary>
    public async Task RefuseInsertsWhereAsync(string condition)
    {
        await ExecuteAsync("CREATE FUNCTION {schema}.refuse() RETURNS trigger LANGUAGE plpgsql AS $$ " +
            $"BEGIN IF {condition} THEN RAISE EXCEPTION 'refused by trigger'; END IF; RETURN NEW; END $$");
        await ExecuteAsync("CREATE TRIGGER refuse BEFORE INSERT ON {schema}.jobs FOR EACH ROW EXECUTE FUNCTION {schema}.refuse()");
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for: {what}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ExecuteAsync("DROP SCHEMA IF EXISTS {schema} CASCADE");
        }
        finally
        {
            await DataSource.DisposeAsync();
        }
    }
}
