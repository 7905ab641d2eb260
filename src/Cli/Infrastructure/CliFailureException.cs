namespace JobPlatform.Cli;

/// <summary>
/// A command that ran but failed (no such job, a benchmark that stalled); exit code 1. With an inner
/// exception, the message is appended to the inner one's description ("…; 20000 of 25000 jobs were enqueued").
/// </summary>
internal sealed class CliFailureException : Exception
{
    public CliFailureException(string message) : base(message)
    {
    }

    public CliFailureException(string message, Exception inner) : base(message, inner)
    {
    }
}
