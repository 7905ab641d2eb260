namespace JobPlatform.Cli.Tests;

public sealed class HelpTests
{
    [Theory]
    [InlineData("migrate")]
    [InlineData("enqueue")]
    [InlineData("list")]
    [InlineData("get")]
    [InlineData("stats")]
    [InlineData("retry")]
    [InlineData("cancel")]
    [InlineData("pause")]
    [InlineData("resume")]
    [InlineData("bench")]
    public async Task Every_command_has_help_listing_the_global_options(string command)
    {
        var result = await Jobctl.RunWithEnvironmentAsync(Jobctl.NoEnvironment, command, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"jobctl {command}", result.Out);
        Assert.Contains("--database", result.Out);
        Assert.Contains("--schema", result.Out);
        Assert.Equal("", result.Err);
    }

    [Fact]
    public async Task Unknown_command_is_a_usage_error()
    {
        var result = await Jobctl.RunWithEnvironmentAsync(Jobctl.NoEnvironment, "purge");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("jobctl: Unrecognized command or argument 'purge' (see 'jobctl --help')", Assert.Single(result.ErrLines));
    }
}
