using JobPlatform.Cli;
using JobPlatform.Hosting;

namespace JobPlatform.Cli.Tests;

public sealed class DashboardPasswordTests
{
    private static async Task<CliResult> HashAsync(string stdin)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await Program.RunAsync(["dashboard", "hash-password"], stdout, stderr, Jobctl.NoEnvironment, new StringReader(stdin));
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Hash_password_prints_a_hash_the_dashboard_accepts_for_that_password_only()
    {
        var result = await HashAsync("correct horse battery\n");

        Assert.Equal(0, result.ExitCode);
        var hash = result.Out.Trim();
        Assert.StartsWith("pbkdf2-sha512$210000$", hash);
        Assert.Null(PasswordHash.Problem(hash));
        Assert.True(PasswordHash.Verify("correct horse battery", hash));
        Assert.False(PasswordHash.Verify("correct horse batterz", hash));
        Assert.DoesNotContain("correct horse", result.Out + result.Err);
        Assert.NotEqual(hash, (await HashAsync("correct horse battery\n")).Out.Trim());
    }

    [Theory]
    [InlineData("", "no password on standard input")]
    [InlineData("short\n", "the password is 5 characters; use at least 8")]
    public async Task A_missing_or_short_password_is_refused_with_what_to_do(string stdin, string expected)
    {
        var result = await HashAsync(stdin);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(expected, result.Err);
        Assert.Empty(result.Out);
    }
}
