using Npgsql;

namespace JobPlatform.Cli.Tests;

public sealed class ErrorReporterTests
{
    private static readonly DatabaseTarget Target =
        DatabaseTarget.Parse("Host=db.internal;Port=6432;Username=app;Password=hunter2", "jobs");

    [Fact]
    public void A_refused_login_names_the_endpoint_and_the_reason()
    {
        var error = new PostgresException("password authentication failed for user \"app\"", "FATAL", "FATAL", "28P01");

        var (message, exitCode) = ErrorReporter.Describe(error, Target);

        Assert.Equal(1, exitCode);
        Assert.Equal("PostgreSQL at db.internal:6432 refused the login: password authentication failed for user \"app\"", message);
    }

    [Fact]
    public void A_failure_after_partial_progress_says_how_far_it_got_and_keeps_the_cause()
    {
        var cause = new NpgsqlException("Exception while reading from stream", new IOException("Connection reset by peer"));

        var (message, exitCode) = ErrorReporter.Describe(new CliFailureException("20,000 of 25,000 jobs had been enqueued", cause), Target);

        Assert.Equal(1, exitCode);
        Assert.Equal("cannot reach PostgreSQL at db.internal:6432: Connection reset by peer; 20,000 of 25,000 jobs had been enqueued", message);
    }

    [Fact]
    public void Cancellation_exits_130()
    {
        Assert.Equal(("cancelled", 130), ErrorReporter.Describe(new OperationCanceledException(), Target));
    }
}
