using JobPlatform.TestSupport;

namespace JobPlatform.Cli.Tests;

public sealed class ManageTests
{
    [Fact]
    public async Task Cancel_and_retry_round_trip()
    {
        await using var db = await TestDatabase.CreateAsync();
        var id = (await db.RunOkAsync("enqueue", "--kind", "k", "--delay", "1h")).Out.Trim();

        Assert.Equal($"job {id} cancelled", (await db.RunOkAsync("cancel", id)).Out.Trim());
        Assert.Equal("cancelled", await StateAsync(db, id));
        Assert.Equal($"job {id} had already finished; nothing changed", (await db.RunOkAsync("cancel", id)).Out.Trim());

        Assert.Equal($"job {id} is available to run again", (await db.RunOkAsync("retry", id)).Out.Trim());
        Assert.Equal("available", await StateAsync(db, id));
        Assert.Equal($"job {id} is already available or running; nothing changed", (await db.RunOkAsync("retry", id)).Out.Trim());
    }

    [Fact]
    public async Task Operator_commands_are_recorded_in_the_audit_log_as_the_system_user()
    {
        await using var db = await TestDatabase.CreateAsync();
        var id = Guid.Parse((await db.RunOkAsync("enqueue", "--kind", "k", "--delay", "1h")).Out.Trim());
        await db.RunOkAsync("cancel", id.ToString());
        await db.RunOkAsync("pause", "--queue", "emails");

        var records = await new JobPlatform.Core.Audit.AuditLog(db.CreateClient()).ListAsync(null, 10);

        Assert.Equal(["queue.pause", "jobs.cancel"], records.Select(r => r.Action));
        Assert.All(records, r => Assert.Equal(($"{Environment.UserName}@{Environment.MachineName}", "jobctl"), (r.Actor, r.Source)));
        Assert.Equal([id], records[1].JobIds);
        Assert.Equal($"job {id} cancelled", records[1].Outcome);
        Assert.Equal("emails", records[0].Target);
    }

    [Theory]
    [InlineData("cancel")]
    [InlineData("retry")]
    [InlineData("get")]
    public async Task Unknown_job_id_exits_1_with_no_job_with_id(string command)
    {
        await using var db = await TestDatabase.CreateAsync();
        var id = Guid.CreateVersion7();

        var result = await db.RunAsync(command, id.ToString());

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"jobctl: no job with id {id}", Assert.Single(result.ErrLines));
    }

    [Fact]
    public async Task Pause_and_resume_show_in_stats()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.RunOkAsync("enqueue", "--kind", "k", "--queue", "emails");

        Assert.Equal("queue 'emails' paused: workers fetch no new jobs from it; running jobs finish",
            (await db.RunOkAsync("pause", "--queue", "emails")).Out.Trim());
        Assert.True(await PausedAsync(db, "emails"));
        Assert.Contains("paused", (await db.RunOkAsync("stats")).Out);

        Assert.Equal("queue 'emails' resumed", (await db.RunOkAsync("resume", "--queue", "emails")).Out.Trim());
        Assert.False(await PausedAsync(db, "emails"));
    }

    [Fact]
    public async Task Get_shows_the_job_for_people_and_as_json()
    {
        await using var db = await TestDatabase.CreateAsync();
        var id = (await db.RunOkAsync("enqueue", "--kind", "report.build", "--args", """{"month":"2026-11"}""", "--tag", "ops")).Out.Trim();

        var text = (await db.RunOkAsync("get", id)).Out;
        Assert.Contains(id, text);
        Assert.Contains("report.build", text);
        Assert.Contains("""{"month": "2026-11"}""", text);
        Assert.DoesNotContain("\u001b[", text);

        var json = (await db.RunOkAsync("get", id, "--json")).Json();
        Assert.Equal(id, json.GetProperty("id").GetString());
        Assert.Equal("2026-11", json.GetProperty("args").GetProperty("month").GetString());
        Assert.Equal(0, json.GetProperty("errors").GetArrayLength());
    }

    [Fact]
    public async Task List_without_json_is_a_table_with_one_row_per_job()
    {
        await using var db = await TestDatabase.CreateAsync();
        var ids = (await db.RunOkAsync("enqueue", "--kind", "k", "--count", "3", "--json")).Json().GetProperty("ids")
            .EnumerateArray().Select(i => i.GetString()!).ToList();

        var table = (await db.RunOkAsync("list")).Out;

        Assert.All(ids, id => Assert.Contains(id, table));
        Assert.Equal("no jobs match", (await db.RunOkAsync("list", "--state", "running")).Out.Trim());
    }

    private static async Task<string> StateAsync(TestDatabase db, string id) =>
        (await db.RunOkAsync("get", id, "--json")).Json().GetProperty("state").GetString()!;

    private static async Task<bool> PausedAsync(TestDatabase db, string queue) =>
        (await db.RunOkAsync("stats", "--json")).Json().GetProperty("queues").EnumerateArray()
            .Single(q => q.GetProperty("name").GetString() == queue).GetProperty("paused").GetBoolean();
}
