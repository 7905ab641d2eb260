using JobPlatform.TestSupport;

namespace JobPlatform.Cli.Tests;

/// <summary>Bad input: exit code 2, one line on stderr naming the problem, nothing on stdout, nothing written.</summary>
public sealed class BadInputTests
{
    public static TheoryData<string[], string> BadEnqueues => new()
    {
        { ["--queue", "Bad Queue"], "Queue name 'Bad Queue' is not valid" },
        { ["--args", "{not json"], "Args of kind 'k' are not valid JSON" },
        { ["--args", "[1,2]"], "must be a JSON object" },
        { ["--args", $$"""{"blob":"{{new string('x', 300 * 1024)}}"}"""], "the limit is 256 KiB" },
        { ["--priority", "12"], "Priority 12 is out of range: use 0 (runs first) to 9" },
        { ["--priority", "12", "--count", "20000"], "Priority 12 is out of range: use 0 (runs first) to 9" },
        { ["--count", "0"], "--count 0 is out of range: use 1 to 10,000,000" },
        { ["--count", "10000001"], "--count 10000001 is out of range: use 1 to 10,000,000" },
        { ["--count", "many"], "--count 'many' is not a whole number" },
        { ["--at", "tomorrow"], "--at 'tomorrow' is not a time: use ISO-8601" },
        { ["--delay", "5 parsecs"], "--delay '5 parsecs' is not a duration" },
        { ["--at", "2030-01-01T00:00:00Z", "--delay", "5m"], "--at and --delay were both given" },
        { ["--unique-key", "u", "--count", "2"], "--unique-key with --count 2" },
        { ["--max-attempts", "0"], "MaxAttempts 0 is out of range" },
    };

    [Theory]
    [MemberData(nameof(BadEnqueues))]
    public async Task Bad_enqueue_exits_2_with_one_line_and_writes_nothing(string[] options, string expected)
    {
        await using var db = await TestDatabase.CreateAsync();

        var result = await db.RunAsync(["enqueue", "--kind", "k", .. options]);

        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.ErrLines);
        Assert.StartsWith("jobctl: ", line);
        Assert.Contains(expected, line);
        Assert.DoesNotContain("Item 0 of the batch", line);
        Assert.Equal("", result.Out);
        Assert.All(await db.StateCountsAsync(), state => Assert.Equal(0, state.Value));
    }

    [Fact]
    public async Task Args_that_do_not_fit_a_built_in_kind_are_refused_before_anything_is_written()
    {
        await using var db = await TestDatabase.CreateAsync();

        var result = await db.RunAsync("enqueue", "--kind", "platform.noop", "--args", "{\"sleepMs\":\"x\"}");

        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.ErrLines);
        Assert.StartsWith("jobctl: --args: Args of kind 'platform.noop' do not fit NoopArgs", line);
        Assert.Contains("$.sleepMs", line);
        Assert.All(await db.StateCountsAsync(), state => Assert.Equal(0, state.Value));
    }

    [Fact]
    public async Task Args_that_do_not_fit_a_catalogue_kind_are_refused_before_anything_is_written()
    {
        await using var db = await TestDatabase.CreateAsync();

        var result = await db.RunAsync("enqueue", "--kind", "email.send", "--args", "{\"subject\":\"Hi\",\"text\":\"no recipient\"}");

        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.ErrLines);
        Assert.StartsWith("jobctl: --args: Args of kind 'email.send' do not fit EmailSendArgs", line);
        Assert.Contains("'to'", line);
        Assert.All(await db.StateCountsAsync(), state => Assert.Equal(0, state.Value));
    }

    [Fact]
    public async Task Missing_required_option_is_a_usage_error_pointing_at_help()
    {
        await using var db = await TestDatabase.CreateAsync();

        var result = await db.RunAsync("enqueue", "--args", "{}");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("jobctl: Option '--kind' is required (see 'jobctl enqueue --help')", Assert.Single(result.ErrLines));
    }

    [Fact]
    public async Task Unknown_state_lists_the_valid_ones()
    {
        await using var db = await TestDatabase.CreateAsync();

        var result = await db.RunAsync("list", "--state", "done");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            "jobctl: --state 'done' is not a job state: use one of available, scheduled, running, retryable, completed, discarded, cancelled.",
            Assert.Single(result.ErrLines));
    }

    [Theory]
    [InlineData("get", "not-a-uuid")]
    [InlineData("retry", "42")]
    [InlineData("cancel", "x")]
    public async Task A_malformed_job_id_is_a_usage_error(string command, string id)
    {
        await using var db = await TestDatabase.CreateAsync();

        var result = await db.RunAsync(command, id);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"'{id}' is not a job id", Assert.Single(result.ErrLines));
    }

    [Fact]
    public async Task Invalid_schema_name_names_the_option_and_the_rule()
    {
        var result = await Jobctl.RunWithEnvironmentAsync(null, "stats", "--database", TestDatabase.ServerConnectionString, "--schema", "Jobs");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("jobctl: --schema: Schema name 'Jobs' is not valid: use 1-48 characters", Assert.Single(result.ErrLines));
    }
}
