using JobPlatform.TestSupport;

namespace JobPlatform.Cli.Tests;

public sealed class BenchTests
{
    [Fact]
    public async Task Bench_prints_one_json_line_with_positive_figures_and_drops_its_schema()
    {
        await using var db = await TestDatabase.CreateAsync();
        var benchSchema = db.Schema + "_b";

        var result = await db.RunAsync("bench", "--jobs", "2000", "--latency-seconds", "1", "--single-seconds", "1",
            "--idle-seconds", "1", "--prefill-finished", "100", "--bench-schema", benchSchema, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var line = Assert.Single(result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var json = System.Text.Json.JsonDocument.Parse(line).RootElement;
        Assert.Equal(
            ["jobs", "enqueue_per_s", "enqueue_single_per_s", "work_per_s", "work_slowest_window_ratio", "pickup_p50_ms",
             "pickup_p99_ms", "pickup_after_commit_p50_ms", "pickup_after_commit_p99_ms",
             "idle_queries_per_s", "rss_mb", "prefilled_finished"],
            json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(2000, json.GetProperty("jobs").GetInt32());
        Assert.Equal(100, json.GetProperty("prefilled_finished").GetInt32());
        // A 2,000-job drain is shorter than two 10-second windows a second apart: no decay ratio.
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("work_slowest_window_ratio").ValueKind);
        // Idle engines may well send nothing in a one-second window, and a handler may start before its enqueue
        // call has returned (after-commit figures are then 0); every other figure must be positive.
        string[] mayBeZero = ["idle_queries_per_s", "pickup_after_commit_p50_ms", "pickup_after_commit_p99_ms"];
        Assert.All(mayBeZero, name => Assert.True(json.GetProperty(name).GetDouble() >= 0, name));
        Assert.All(json.EnumerateObject().Where(p => p.Value.ValueKind == System.Text.Json.JsonValueKind.Number && !mayBeZero.Contains(p.Name)),
            p => Assert.True(p.Value.GetDouble() > 0, $"{p.Name} is {p.Value}"));
        Assert.True(json.GetProperty("pickup_p99_ms").GetDouble() >= json.GetProperty("pickup_p50_ms").GetDouble());
        Assert.True(json.GetProperty("pickup_after_commit_p99_ms").GetDouble() >= json.GetProperty("pickup_after_commit_p50_ms").GetDouble());
        // From the call's return is part of from its start.
        Assert.True(json.GetProperty("pickup_after_commit_p50_ms").GetDouble() <= json.GetProperty("pickup_p50_ms").GetDouble());
        Assert.False(await SchemaExistsAsync(db, benchSchema));
        // The real schema was never touched.
        Assert.All(await db.StateCountsAsync(), state => Assert.Equal(0, state.Value));
    }

    [Fact]
    public async Task Bench_with_trace_records_an_activity_per_run_and_still_finishes()
    {
        await using var db = await TestDatabase.CreateAsync();

        var result = await db.RunAsync("bench", "--jobs", "2000", "--latency-seconds", "0", "--single-seconds", "0",
            "--idle-seconds", "0", "--bench-schema", db.Schema + "_t", "--trace", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var traced = Assert.Single(result.ErrLines, l => l.StartsWith("bench: traced ", StringComparison.Ordinal));
        // At least one run per measured job, plus the enqueues of the batches.
        var count = long.Parse(traced["bench: traced ".Length..].Split(' ')[0], System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(count > 2000, traced);
    }

    [Fact]
    public async Task Bench_refuses_a_schema_it_did_not_create_and_leaves_it_alone()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var other = await TestDatabase.CreateAsync();
        await other.RunOkAsync("enqueue", "--kind", "k");

        var result = await db.RunAsync("bench", "--jobs", "10", "--latency-seconds", "0", "--bench-schema", other.Schema);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"schema '{other.Schema}' already exists and was not created by jobctl bench", Assert.Single(result.ErrLines));
        Assert.Equal(1, (await other.StateCountsAsync())["available"]);
    }

    [Fact]
    public async Task Bench_rejects_its_schema_being_the_real_one()
    {
        await using var db = await TestDatabase.CreateAsync();

        var result = await db.RunAsync("bench", "--jobs", "10", "--bench-schema", db.Schema);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is the --schema in use", Assert.Single(result.ErrLines));
    }

    private static Task<bool> SchemaExistsAsync(TestDatabase db, string schema) =>
        db.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", schema);
}
