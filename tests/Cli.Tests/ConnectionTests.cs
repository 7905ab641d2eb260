using JobPlatform.TestSupport;

namespace JobPlatform.Cli.Tests;

public sealed class ConnectionTests
{
    [Fact]
    public async Task Without_database_option_or_environment_the_error_says_how_to_give_one()
    {
        var result = await Jobctl.RunWithEnvironmentAsync(Jobctl.NoEnvironment, "stats");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrLines);
        Assert.Contains("pass --database", line);
        Assert.Contains("ConnectionStrings__JobPlatform", line);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task Connection_string_and_schema_are_read_from_the_environment()
    {
        await using var db = await TestDatabase.CreateAsync();
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__JobPlatform"] = db.ConnectionString,
            ["JobPlatform__Schema"] = db.Schema,
        };

        await Jobctl.RunWithEnvironmentAsync(environment, "enqueue", "--kind", "k");
        var result = await Jobctl.RunWithEnvironmentAsync(environment, "stats", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(1, result.Json().GetProperty("states").GetProperty("available").GetInt64());
    }

    [Fact]
    public async Task Unreachable_database_exits_1_naming_host_and_port_but_never_the_password()
    {
        var result = await Jobctl.RunWithEnvironmentAsync(Jobctl.NoEnvironment,
            "stats", "--database", "Host=127.0.0.1;Port=1;Username=postgres;Password=hunter2;Database=jobs");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.ErrLines);
        Assert.StartsWith("jobctl: cannot reach PostgreSQL at 127.0.0.1:1: ", line);
        Assert.DoesNotContain("hunter2", result.Err + result.Out);
        Assert.DoesNotContain("   at ", result.Err);
    }

    [Fact]
    public async Task Debug_mode_adds_the_stack_trace_still_without_the_password()
    {
        var result = await Jobctl.RunWithEnvironmentAsync(new Dictionary<string, string> { ["JOBCTL_DEBUG"] = "1" },
            "stats", "--database", "Host=127.0.0.1;Port=1;Username=postgres;Password=hunter2");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("   at ", result.Err);
        Assert.DoesNotContain("hunter2", result.Err + result.Out);
    }

    [Fact]
    public async Task Malformed_connection_string_is_a_usage_error_that_does_not_echo_it()
    {
        var result = await Jobctl.RunWithEnvironmentAsync(Jobctl.NoEnvironment, "stats", "--database", "Host=db;Pasword=hunter2");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrLines);
        Assert.Contains("the connection string (--database or ConnectionStrings__JobPlatform) is not valid", line);
        Assert.DoesNotContain("hunter2", line);
    }
}
