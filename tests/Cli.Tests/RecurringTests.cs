using System.Text.Json;
using JobPlatform.TestSupport;

namespace JobPlatform.Cli.Tests;

/// <summary><c>jobctl recurring</c> against a real database.</summary>
public sealed class RecurringTests
{
    [Fact]
    public async Task Add_list_pause_trigger_resume_and_remove()
    {
        await using var db = await TestDatabase.CreateAsync();
        var added = await db.RunOkAsync("recurring", "add", "nightly", "--cron", "30 2 * * *", "--kind", "platform.noop",
            "--args", "{\"sleepMs\":5}", "--time-zone", "Europe/Berlin", "--queue", "reports", "--priority", "2", "--misfire", "DoNothing", "--skip-if-running",
            "--wait", "1s");
        // No scheduler runs here: the cron waits for one to check it (SchedulerProcessTests has one refuse a bad cron).
        Assert.StartsWith("schedule 'nightly' added; no scheduler applied it within 1 s, so its cron is not checked yet", added.Out);

        using (var list = JsonDocument.Parse((await db.RunOkAsync("recurring", "list", "--json")).Out))
        {
            var s = Assert.Single(list.RootElement.EnumerateArray());
            Assert.Equal(("nightly", "30 2 * * *", "Europe/Berlin", "reports", 2, "DoNothing", true, "api", false),
                (s.GetProperty("id").GetString(), s.GetProperty("cron").GetString(), s.GetProperty("timeZone").GetString(),
                 s.GetProperty("queue").GetString(), s.GetProperty("priority").GetInt32(), s.GetProperty("misfire").GetString(),
                 s.GetProperty("skipIfRunning").GetBoolean(), s.GetProperty("source").GetString(), s.GetProperty("paused").GetBoolean()));
            Assert.Equal(5, s.GetProperty("args").GetProperty("sleepMs").GetInt32());
        }

        Assert.Equal("schedule 'nightly' paused", (await db.RunOkAsync("recurring", "pause", "nightly")).Out.Trim());
        Assert.Contains("paused", (await db.RunOkAsync("recurring", "list")).Out);
        var triggered = (await db.RunOkAsync("recurring", "trigger", "nightly")).Out;
        Assert.Contains("schedule 'nightly' triggered: job ", triggered);
        Assert.Contains("(enqueued, key recurring:nightly:", triggered);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs WHERE queue = 'reports' AND 'recurring:nightly' = ANY(tags)"));
        Assert.Equal("schedule 'nightly' resumed", (await db.RunOkAsync("recurring", "resume", "nightly")).Out.Trim());
        Assert.Equal("schedule 'nightly' removed", (await db.RunOkAsync("recurring", "remove", "nightly")).Out.Trim());
        Assert.Equal("[]", (await db.RunOkAsync("recurring", "list", "--json")).Out.Trim());
        Assert.StartsWith("schedule 'again' added; a running scheduler checks its cron",
            (await db.RunOkAsync("recurring", "add", "again", "--cron", "@daily", "--kind", "platform.noop", "--wait", "0s")).Out);
        Assert.Contains("not applied", (await db.RunOkAsync("recurring", "list")).Out);
    }

    [Theory]
    [InlineData("--cron", " ", "jobctl: Schedule 'x': cron is empty")]
    [InlineData("--time-zone", "Mars/Base", "jobctl: Schedule 'x': time zone 'Mars/Base' is not known")]
    [InlineData("--misfire", "Later", "jobctl: --misfire 'Later' is not a misfire policy")]
    [InlineData("--args", "{\"sleepMs\":\"long\"}", "jobctl: --args: ")]
    [InlineData("--queue", "Bad Queue", "jobctl: Schedule 'x': Queue name 'Bad Queue' is not valid")]
    public async Task Bad_input_exits_2_and_writes_nothing(string option, string value, string message)
    {
        await using var db = await TestDatabase.CreateAsync();
        var args = new List<string> { "recurring", "add", "x", "--kind", "platform.noop" };
        if (option != "--cron")
        {
            args.AddRange(["--cron", "@daily"]);
        }

        args.AddRange([option, value]);
        var result = await db.RunAsync([.. args]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith(message, Assert.Single(result.ErrLines));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.recurring_schedules"));
    }

    [Theory]
    [InlineData("pause")]
    [InlineData("resume")]
    [InlineData("trigger")]
    [InlineData("remove")]
    public async Task Unknown_schedule_exits_1(string command)
    {
        await using var db = await TestDatabase.CreateAsync();
        var result = await db.RunAsync("recurring", command, "nope");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("jobctl: no recurring schedule 'nope'", Assert.Single(result.ErrLines));
    }
}
