using System.Text.Json;
using JobPlatform.TestSupport;

namespace JobPlatform.Cli.Tests;

public sealed class EnqueueTests
{
    [Fact]
    public async Task Enqueued_job_is_listed_as_json_with_its_args_as_an_object()
    {
        await using var db = await TestDatabase.CreateAsync();

        var enqueue = await db.RunOkAsync("enqueue", "--kind", "email.send", "--args", """{"to":"ada@example.com","n":[1,2]}""",
            "--queue", "emails", "--priority", "3", "--max-attempts", "5", "--tag", "ops", "--tag", "@night");
        var id = Guid.Parse(enqueue.Out.Trim());

        var list = (await db.RunOkAsync("list", "--json")).Json();
        var job = Assert.Single(list.EnumerateArray());
        Assert.Equal(id, job.GetProperty("id").GetGuid());
        Assert.Equal("email.send", job.GetProperty("kind").GetString());
        Assert.Equal("emails", job.GetProperty("queue").GetString());
        Assert.Equal("available", job.GetProperty("state").GetString());
        Assert.Equal(0, job.GetProperty("attempt").GetInt32());
        Assert.Equal(5, job.GetProperty("maxAttempts").GetInt32());
        Assert.Equal(3, job.GetProperty("priority").GetInt32());
        var args = job.GetProperty("args");
        Assert.Equal(JsonValueKind.Object, args.ValueKind);
        Assert.Equal("ada@example.com", args.GetProperty("to").GetString());
        Assert.Equal(2, args.GetProperty("n").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, job.GetProperty("uniqueKey").ValueKind);
        Assert.Equal(["ops", "@night"], job.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!));
        Assert.True(job.GetProperty("createdAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.True(job.GetProperty("scheduledAt").GetDateTimeOffset() <= DateTimeOffset.UtcNow);
        foreach (var name in new[] { "attemptedAt", "attemptedBy", "finalizedAt" })
        {
            Assert.Equal(JsonValueKind.Null, job.GetProperty(name).ValueKind);
        }

        Assert.Equal(0, job.GetProperty("errors").GetArrayLength());
    }

    [Fact]
    public async Task Enqueue_json_prints_the_ids_and_list_filters_by_state_and_kind()
    {
        await using var db = await TestDatabase.CreateAsync();

        var one = (await db.RunOkAsync("enqueue", "--kind", "a.one", "--json")).Json();
        var many = (await db.RunOkAsync("enqueue", "--kind", "a.many", "--count", "3", "--json")).Json();
        var later = await db.RunOkAsync("enqueue", "--kind", "a.later", "--at", "2099-01-01T00:00:00Z");

        Assert.Equal(1, one.GetProperty("ids").GetArrayLength());
        Assert.Equal(3, many.GetProperty("ids").GetArrayLength());
        var scheduled = (await db.RunOkAsync("list", "--state", "scheduled", "--json")).Json();
        var job = Assert.Single(scheduled.EnumerateArray());
        Assert.Equal(Guid.Parse(later.Out.Trim()), job.GetProperty("id").GetGuid());
        Assert.Equal(new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero), job.GetProperty("scheduledAt").GetDateTimeOffset());
        var ofKind = (await db.RunOkAsync("list", "--kind", "a.many", "--limit", "2", "--json")).Json();
        Assert.Equal(2, ofKind.GetArrayLength());
    }

    [Fact]
    public async Task Delay_schedules_the_job_that_far_ahead()
    {
        await using var db = await TestDatabase.CreateAsync();

        var id = (await db.RunOkAsync("enqueue", "--kind", "k", "--delay", "1h30m")).Out.Trim();

        var job = (await db.RunOkAsync("get", id, "--json")).Json();
        Assert.Equal("scheduled", job.GetProperty("state").GetString());
        var ahead = job.GetProperty("scheduledAt").GetDateTimeOffset() - DateTimeOffset.UtcNow;
        Assert.InRange(ahead, TimeSpan.FromMinutes(89), TimeSpan.FromMinutes(91));
    }

    [Fact]
    public async Task Count_25000_enqueues_in_chunks_and_stats_json_has_the_documented_shape()
    {
        await using var db = await TestDatabase.CreateAsync();

        var enqueue = await db.RunOkAsync("enqueue", "--kind", "platform.noop", "--count", "25000");
        Assert.Equal("enqueued 25000 jobs", enqueue.Out.Trim());
        var json = (await db.RunOkAsync("enqueue", "--kind", "platform.noop", "--count", "1001", "--json")).Json();
        Assert.Equal(1001, json.GetProperty("count").GetInt32());
        Assert.False(json.TryGetProperty("ids", out _));

        var stats = await db.RunOkAsync("stats", "--json");
        Assert.Single(stats.Out.TrimEnd('\n').Split('\n'));
        var root = stats.Json();
        Assert.Equal(["states", "queues", "workers"], root.EnumerateObject().Select(p => p.Name));
        var states = root.GetProperty("states");
        Assert.Equal(["available", "scheduled", "running", "retryable", "completed", "discarded", "cancelled"],
            states.EnumerateObject().Select(p => p.Name));
        Assert.Equal(26001, states.GetProperty("available").GetInt64());
        Assert.All(states.EnumerateObject().Where(p => p.Name != "available"), p => Assert.Equal(0, p.Value.GetInt64()));
        var queue = Assert.Single(root.GetProperty("queues").EnumerateArray());
        Assert.Equal("default", queue.GetProperty("name").GetString());
        Assert.Equal(26001, queue.GetProperty("available").GetInt64());
        Assert.Equal(0, queue.GetProperty("running").GetInt64());
        Assert.True(queue.GetProperty("oldestAvailableAgeSeconds").GetDouble() >= 0);
        Assert.False(queue.GetProperty("paused").GetBoolean());
        Assert.Equal(0, root.GetProperty("workers").GetInt32());
    }

    [Fact]
    public async Task A_taken_unique_key_returns_the_holder_and_writes_nothing_new()
    {
        await using var db = await TestDatabase.CreateAsync();

        var first = (await db.RunOkAsync("enqueue", "--kind", "k", "--unique-key", "once")).Out.Trim();
        var second = await db.RunOkAsync("enqueue", "--kind", "k", "--unique-key", "once", "--json");

        Assert.Equal(first, second.Json().GetProperty("ids")[0].GetString());
        Assert.True(second.Json().GetProperty("duplicate").GetBoolean());
        Assert.Contains("already holds unique key 'once'", second.Err);
        Assert.Equal(1, (await db.StateCountsAsync())["available"]);
    }

    [Fact]
    public async Task Args_can_come_from_stdin_when_they_are_too_long_for_a_command_line()
    {
        await using var db = await TestDatabase.CreateAsync();
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await Program.RunAsync(
            ["enqueue", "--kind", "k", "--args-file", "-", "--database", db.ConnectionString, "--schema", db.Schema],
            stdout, stderr, Jobctl.NoEnvironment, new StringReader("""{"from":"stdin"}"""));

        Assert.Equal(0, exit);
        var job = (await db.RunOkAsync("get", stdout.ToString().Trim(), "--json")).Json();
        Assert.Equal("stdin", job.GetProperty("args").GetProperty("from").GetString());
    }
}
