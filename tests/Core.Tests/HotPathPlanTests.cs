using System.Text.Json;
using JobPlatform.TestSupport;
using Npgsql;

namespace JobPlatform.Core.Tests;

/// <summary>
/// The lease and outcome functions keep their plans whatever the planner's estimates say. In benchmarks,
/// statistics taken by autovacuum mid-drain made every fetch bitmap-scan and sort the whole backlog, every
/// outcome batch scan all of the worker's running-index entries, and the unknown limit inside the function
/// made each lease hash-join its ids against every row. The plans are read with auto_explain from real calls
/// of the deployed functions; where the trap depends on timing, the cost model is skewed until a plain
/// statement falls into it.
/// </summary>
public sealed class HotPathPlanTests
{
    [Fact]
    public async Task Lease_walks_the_fetch_index_in_order_even_when_estimates_favour_a_sort()
    {
        await using var db = await MisleadingStatisticsAsync();

        var plain = await PlanOfAsync(db, PlainLease(db), skewCosts: true);
        Assert.True(plain.Contains("Sort"), "the skewed cost model did not make the plain statement sort, so this test proves nothing:\n" + plain);

        var plan = await PlanOfAsync(db, $"SELECT count(*) FROM {Q(db)}.lease_jobs('default', 1000, 'w', -1::smallint, '-infinity', '00000000-0000-0000-0000-000000000000')", skewCosts: true);
        Assert.Contains("Index Scan using jobs_fetch", plan);
        Assert.DoesNotContain("Sort", plan);
        Assert.DoesNotContain("Bitmap", plan);
    }

    [Fact]
    public async Task A_lease_never_records_an_attempt_before_the_job_was_due()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var lessor = await db.DataSource.OpenConnectionAsync();
        // The lease's transaction starts before the job exists; the job is inserted (due at the database's clock)
        // and committed meanwhile, and the lease, reading committed rows afresh, still takes it.
        await using var tx = await lessor.BeginTransactionAsync();
        await using (var start = new NpgsqlCommand("SELECT now()", lessor, tx))
        {
            await start.ExecuteScalarAsync();
        }

        await db.ExecuteAsync("INSERT INTO {schema}.jobs (id, queue, kind, args, state, max_attempts) " +
            "VALUES (gen_random_uuid(), 'default', 'platform.noop', '{}', 'available', 1)");
        await using (var lease = new NpgsqlCommand(
            $"SELECT attempted_at >= scheduled_at FROM {Q(db)}.lease_jobs('default', 10, 'w', -1::smallint, '-infinity', '00000000-0000-0000-0000-000000000000')",
            lessor, tx))
        {
            Assert.Equal(true, await lease.ExecuteScalarAsync());
        }

        await tx.CommitAsync();
    }

    [Fact]
    public async Task Leased_rows_are_updated_by_primary_key_although_the_limit_is_unknown_when_planning()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.ExecuteAsync("INSERT INTO {schema}.jobs (id, queue, kind, args, state, max_attempts) " +
            "SELECT " + TimeOrderedId + ", 'default', 'platform.noop', '{}', 'available', 1 FROM generate_series(1, 200000) g");
        await db.ExecuteAsync("ANALYZE {schema}.jobs");

        var plan = await PlanOfAsync(db, $"SELECT count(*) FROM {Q(db)}.lease_jobs('default', 1000, 'w', -1::smallint, '-infinity', '00000000-0000-0000-0000-000000000000')", skewCosts: false, calls: 7);
        Assert.Contains("Index Scan using jobs_pkey", plan);
        Assert.DoesNotContain("Hash", plan);
        Assert.DoesNotContain("Merge", plan);
    }

    [Fact]
    public async Task Outcomes_are_found_by_primary_key_even_when_estimates_favour_other_plans()
    {
        await using var db = await MisleadingStatisticsAsync();
        await db.ExecuteAsync("UPDATE {schema}.jobs SET state = 'running', attempt = 1, attempted_at = now(), attempted_by = 'w' WHERE state = 'available'");
        var ids = "'{" + string.Join(',', await RunningIdsAsync(db)) + "}'::uuid[]";

        foreach (var skew in new[] { false, true })
        {
            // Seven calls in one session: PL/pgSQL plans the first five with the arguments, later ones generically.
            var plan = await PlanOfAsync(db,
                $"SELECT {Q(db)}.complete_jobs({ids}, array_fill(1, ARRAY[1000]), array_fill('completed'::text, ARRAY[1000]), " +
                "array_fill(NULL::bigint, ARRAY[1000]), array_fill(NULL::jsonb, ARRAY[1000]), array_fill(0, ARRAY[1000]), 'w')", skew, calls: 7);
            Assert.Contains("Index Scan using jobs_pkey", plan);
            Assert.DoesNotContain("jobs_running", plan);
            Assert.DoesNotContain("Nested Loop", plan);
            Assert.DoesNotContain("Seq Scan", plan);
        }
    }

    [Fact]
    public async Task Leases_and_outcomes_are_never_jit_compiled()
    {
        // A lease's generic plan assumes a tenth of the queue is leased, so from a backlog of about 400,000 jobs it
        // costs above jit_above_cost: LLVM compiled it on every call, 8-9 ms of a 10 ms lease.
        await using var db = await TestDatabase.CreateAsync();
        await db.ExecuteAsync("INSERT INTO {schema}.jobs (id, queue, kind, args, state, max_attempts) " +
            "SELECT " + TimeOrderedId + ", 'default', 'platform.noop', '{}', 'available', 1 FROM generate_series(1, 10) g");

        var plain = await PlanOfAsync(db, PlainLease(db), skewCosts: false, jitEverything: true);
        Assert.True(plain.Contains("JIT compiled the statement itself"),
            "this server did not JIT-compile a plain lease with jit_above_cost = 0 (is its JIT provider installed?), so this test proves nothing:\n" + plain);

        var lease = await PlanOfAsync(db, $"SELECT count(*) FROM {Q(db)}.lease_jobs('default', 10, 'w', -1::smallint, '-infinity', '00000000-0000-0000-0000-000000000000')",
            skewCosts: false, jitEverything: true);
        Assert.Contains("Index Scan using jobs_fetch", lease);
        Assert.DoesNotContain("JIT compiled a nested statement", lease);

        await db.ExecuteAsync("UPDATE {schema}.jobs SET state = 'running', attempt = 1, attempted_at = now(), attempted_by = 'w'");
        var ids = "'{" + string.Join(',', await RunningIdsAsync(db)) + "}'::uuid[]";
        var outcomes = await PlanOfAsync(db,
            $"SELECT {Q(db)}.complete_jobs({ids}, array_fill(1, ARRAY[10]), array_fill('completed'::text, ARRAY[10]), " +
            "array_fill(NULL::bigint, ARRAY[10]), array_fill(NULL::jsonb, ARRAY[10]), array_fill(0, ARRAY[10]), 'w')", skewCosts: false, jitEverything: true);
        Assert.Contains("Index Scan using jobs_pkey", outcomes);
        Assert.DoesNotContain("JIT compiled a nested statement", outcomes);
    }

    /// <summary>Ids in insertion order, as the client's UUIDv7 ids are: that order is what makes a full
    /// primary-key scan look cheap to the planner.</summary>
    private const string TimeOrderedId = "('01900000-0000-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid";

    /// <summary>Statistics taken while the table held only finished jobs, then a burst of available ones.</summary>
    private static async Task<TestDatabase> MisleadingStatisticsAsync()
    {
        var db = await TestDatabase.CreateAsync();
        await db.ExecuteAsync("INSERT INTO {schema}.jobs (id, queue, kind, args, state, max_attempts, finalized_at) " +
            "SELECT " + TimeOrderedId + ", 'default', 'platform.noop', '{}', 'completed', 1, now() FROM generate_series(1, 20000) g");
        await db.ExecuteAsync("ANALYZE {schema}.jobs");
        await db.ExecuteAsync("INSERT INTO {schema}.jobs (id, queue, kind, args, state, max_attempts) " +
            "SELECT " + TimeOrderedId + ", 'default', 'platform.noop', '{}', 'available', 1 FROM generate_series(20001, 40000) g");
        return db;
    }

    /// <summary>The lease statement as it would run without the function's planner settings.</summary>
    private static string PlainLease(TestDatabase db) =>
        $"WITH locked AS (SELECT id FROM {Q(db)}.jobs WHERE state = 'available' AND queue = 'default' " +
        "ORDER BY priority, scheduled_at, id LIMIT 1000 FOR NO KEY UPDATE SKIP LOCKED) " +
        $"UPDATE {Q(db)}.jobs j SET state = 'running', attempt = j.attempt + 1, attempted_at = now(), attempted_by = 'w' " +
        "FROM locked WHERE j.id = locked.id";

    /// <summary>Runs <paramref name="sql"/> in a transaction that is rolled back, and returns every plan
    /// auto_explain logged for it, nested statements included.</summary>
    private static async Task<string> PlanOfAsync(TestDatabase db, string sql, bool skewCosts, int calls = 1, bool jitEverything = false)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var plans = new List<string>();
        connection.Notice += (_, e) =>
        {
            var text = e.Notice.MessageText;
            var json = text.IndexOf('{');
            if (text.Contains("plan:", StringComparison.Ordinal) && json >= 0)
            {
                // Only the plan tree, not the query text (whose comments may name indexes).
                using var doc = JsonDocument.Parse(text[json..]);
                Collect(doc.RootElement.GetProperty("Plan"), plans);
                if (doc.RootElement.TryGetProperty("JIT", out JsonElement _))
                {
                    var top = doc.RootElement.GetProperty("Query Text").GetString() == sql;
                    plans.Add(top ? "JIT compiled the statement itself" : "JIT compiled a nested statement");
                }
            }
        };
        await using var tx = await connection.BeginTransactionAsync();
        var setup = "LOAD 'auto_explain'; SET LOCAL auto_explain.log_min_duration = 0; " +
            "SET LOCAL auto_explain.log_nested_statements = on; SET LOCAL auto_explain.log_format = json; " +
            "SET LOCAL client_min_messages = log;";
        if (skewCosts)
        {
            // Index pages made dear: left alone, the planner would rather read the heap and sort.
            setup += " SET LOCAL random_page_cost = 4000;";
        }

        if (jitEverything)
        {
            // Every plan costs more than the threshold: what a lease's generic plan costs with a large backlog.
            setup += " SET LOCAL jit = on; SET LOCAL jit_above_cost = 0;";
        }

        await using (var cmd = new NpgsqlCommand(setup, connection))
        {
            await cmd.ExecuteNonQueryAsync();
        }

        for (var i = 0; i < calls; i++)
        {
            await using var cmd = new NpgsqlCommand(sql, connection);
            await cmd.ExecuteNonQueryAsync();
        }

        await tx.RollbackAsync();
        return string.Join("\n", plans);
    }

    /// <summary>One line per plan node: its type, and "using" its index when it has one, as in EXPLAIN's text form.</summary>
    private static void Collect(JsonElement node, List<string> lines)
    {
        var type = node.GetProperty("Node Type").GetString();
        lines.Add(node.TryGetProperty("Index Name", out var index) ? $"{type} using {index.GetString()}" : type!);
        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                Collect(child, lines);
            }
        }
    }

    private static async Task<List<Guid>> RunningIdsAsync(TestDatabase db)
    {
        var ids = new List<Guid>();
        await using var cmd = db.DataSource.CreateCommand($"SELECT id FROM {Q(db)}.jobs WHERE state = 'running' LIMIT 1000");
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    private static string Q(TestDatabase db) => "\"" + db.Schema + "\"";
}
