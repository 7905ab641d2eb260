using JobPlatform.Core;
using Npgsql;

namespace JobPlatform.Cli;

/// <summary>
/// Turns any failure into one line on stderr (<c>jobctl: …</c>) and an exit code: 2 for bad input, 1 for a
/// failure at run time. The stack trace is only shown with <c>JOBCTL_DEBUG=1</c>.
/// </summary>
internal static class ErrorReporter
{
    public static int Report(Exception exception, CliContext context)
    {
        var (message, exitCode) = Describe(exception, context.Target);
        context.Err.WriteLine($"jobctl: {Messages.OneLine(message)}");
        if (context.Debug)
        {
            context.Err.WriteLine(exception.ToString());
        }

        return exitCode;
    }

    public static (string Message, int ExitCode) Describe(Exception exception, DatabaseTarget? target)
    {
        if (exception is CliFailureException { InnerException: { } inner } context)
        {
            // "cannot reach PostgreSQL at …: Connection refused; 20,000 of 25,000 jobs had been enqueued"
            var (message, exitCode) = Describe(inner, target);
            return (message + "; " + context.Message, exitCode);
        }

        return DescribeOne(exception, target);
    }

    private static (string Message, int ExitCode) DescribeOne(Exception exception, DatabaseTarget? target) => exception switch
    {
        CliUsageException e => (e.Message, ExitCodes.Usage),
        // Core's validation messages already name the input, the limit and the fix.
        JobValidationException e => (e.Message, ExitCodes.Usage),
        CliFailureException e => (e.Message, ExitCodes.Failure),
        OperationCanceledException => ("cancelled", ExitCodes.Cancelled),
        PostgresException e => (DescribePostgres(e, target), ExitCodes.Failure),
        // Npgsql's own exceptions (not the server's) are connection failures: refused, timed out, name unknown, reset.
        NpgsqlException e => ($"cannot reach PostgreSQL at {Where(target)}: {Messages.Of(e.GetBaseException())}", ExitCodes.Failure),
        InvalidOperationException e => (e.Message, ExitCodes.Failure),
        _ => ($"unexpected {exception.GetType().Name}: {exception.Message} (set JOBCTL_DEBUG=1 for the stack trace)", ExitCodes.Failure),
    };

    private static string DescribePostgres(PostgresException e, DatabaseTarget? target)
    {
        var schema = target?.Schema ?? GlobalOptions.DefaultSchema;
        return e.SqlState switch
        {
            // 28000 invalid authorization, 28P01 wrong password.
            _ when e.SqlState.StartsWith("28", StringComparison.Ordinal) =>
                $"PostgreSQL at {Where(target)} refused the login: {e.MessageText}",
            PostgresErrorCodes.InvalidCatalogName => $"PostgreSQL at {Where(target)}: {e.MessageText}",
            PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName or PostgresErrorCodes.UndefinedObject =>
                $"schema '{schema}' has no JobPlatform tables ({e.MessageText}); run 'jobctl migrate --schema {schema}' first, or pass the right --schema",
            _ => $"PostgreSQL at {Where(target)} failed the command: {e.SqlState}: {e.MessageText}",
        };
    }

    private static string Where(DatabaseTarget? target) => target?.Endpoint ?? "(unknown host)";
}
