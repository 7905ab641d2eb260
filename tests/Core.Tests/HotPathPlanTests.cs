using JobPlatform.TestSupport;
using Npgsql;

namespace JobPlatform.Core.Tests;

/// <summary>
/// The lease and outcome statements keep their plans whatever the planner's estimates say. In a benchmark,
/// statistics taken by autovacuum mid-drain made every fetch bitmap-scan and sort the whole backlog, and every
/// outcome batch scan all of the worker's running-index entries. That timing cannot be reproduced on demand,
/// so these tests skew the cost model until the plain statements choose such plans, and check that the
/// functions' own settings still pin the intended ones.
/// </summary>
public sealed class HotPathPlanTests
{
    [Fact]
    public async Task Lease_walks_the_fetch_index_in_order_even_when_estimates_favour_a_sort()
    {
        await using var db = await MisleadingStatisticsAsync();

        var plain = await ExplainAsync(db, "lease_jobs", useFunctionSettings: false);
        Assert.True(plain.Contains("Sort"), "the skewed cost model did not make the plain statement sort, so this test proves nothing:\n" + plain);

        var plan = await ExplainAsync(db, "lease_jobs", useFunctionSettings: true);
        Assert.Contains("Index Scan using jobs_fetch", plan);
        Assert.DoesNotContain("Sort", plan);
        Assert.DoesNotContain("Bitmap", plan);
    }

    [Fact]
    public async Task Outcomes_are_found_by_primary_key_even_when_estimates_favour_other_plans()
    {
        await using var db = await MisleadingStatisticsAsync();
        await db.ExecuteAsync("UPDATE {schema}.jobs SET state = 'running', attempt = 1, attempted_at = now(), attempted_by = 'w' WHERE state = 'available'");

        var plan = await ExplainAsync(db, "complete_jobs", useFunctionSettings: true);
        Assert.Contains("Index Scan using jobs_pkey", plan);
        Assert.DoesNotContain("jobs_running", plan);
        Assert.DoesNotContain("Hash", plan);
        Assert.DoesNotContain("Seq Scan", plan);
    }

    private static async Task<TestDatabase> MisleadingStatisticsAsync()
    {
        var db = await TestDatabase.CreateAsync();
        await db.ExecuteAsync("INSERT INTO {schema}.jobs (id, queue, kind, args, state, max_attempts, finalized_at) " +
            "SELECT gen_random_uuid(), 'default', 'platform.noop', '{}', 'completed', 1, now() FROM generate_series(1, 20000)");
        await db.ExecuteAsync("ANALYZE {schema}.jobs");
        await db.ExecuteAsync("INSERT INTO {schema}.jobs (id, queue, kind, args, state, max_attempts) " +
            "SELECT gen_random_uuid(), 'default', 'platform.noop', '{}', 'available', 1 FROM generate_series(1, 20000)");
        return db;
    }

    /// <summary>EXPLAINs the deployed body of a function, optionally under the settings the function declares.</summary>
    private static async Task<string> ExplainAsync(TestDatabase db, string function, bool useFunctionSettings)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        string body;
        string[] settings;
        await using (var cmd = new NpgsqlCommand(
            "SELECT p.prosrc, coalesce(p.proconfig, '{}') FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 AND p.proname = $2",
            connection) { Parameters = { new() { Value = db.Schema }, new() { Value = function } } })
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync(), $"function {function} is missing");
            (body, settings) = (reader.GetString(0), reader.GetFieldValue<string[]>(1));
        }

        // Index pages made dear: left alone, the planner would rather read the heap and sort.
        await using (var skew = new NpgsqlCommand("SET LOCAL random_page_cost = 4000", connection))
        {
            await skew.ExecuteNonQueryAsync();
        }

        if (useFunctionSettings)
        {
            foreach (var setting in settings)
            {
                var (name, value) = (setting[..setting.IndexOf('=')], setting[(setting.IndexOf('=') + 1)..]);
                await using var set = new NpgsqlCommand($"SELECT set_config('{name}', '{value}', true)", connection);
                await set.ExecuteNonQueryAsync();
            }
        }

        // The body's parameters become constants of realistic size: a fetch of 1000, a batch of 1000 outcomes.
        var sql = body
            .Replace("p_queue", "'default'").Replace("p_limit", "1000").Replace("p_worker", "'w'")
            .Replace("p_ids", "'{" + string.Join(',', await RunningIdsAsync(connection, db)) + "}'::uuid[]")
            .Replace("p_attempts", "array_fill(1, ARRAY[1000])").Replace("p_states", "array_fill('completed'::text, ARRAY[1000])")
            .Replace("p_delays_ms", "array_fill(NULL::bigint, ARRAY[1000])").Replace("p_errors", "array_fill(NULL::jsonb, ARRAY[1000])")
            .Replace("p_refunds", "array_fill(0, ARRAY[1000])");
        await using var explain = new NpgsqlCommand("EXPLAIN " + sql, connection);
        var lines = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(0));
            }
        }

        await tx.RollbackAsync();
        return string.Join('\n', lines);
    }

    private static async Task<List<Guid>> RunningIdsAsync(NpgsqlConnection connection, TestDatabase db)
    {
        var ids = new List<Guid>();
        await using var cmd = new NpgsqlCommand($"SELECT id FROM \"{db.Schema}\".jobs WHERE state = 'running' LIMIT 1000", connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }
}
