using System.CommandLine;
using JobPlatform.Core;

namespace JobPlatform.Cli.Commands;

/// <summary><c>jobctl retry ID</c>: makes a finished or waiting job available now.</summary>
internal sealed class RetryCommand : CliCommand
{
    private readonly Argument<Guid> _id = CommonOptions.JobId();

    public RetryCommand(CliContext context, GlobalOptions global)
        : base("retry", "Run a discarded, cancelled, completed, retryable or scheduled job again now", context, global)
    {
        Arguments.Add(_id);
    }

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var id = parse.GetValue(_id);
        await using var db = Connect(parse);
        var outcome = await db.Client.RetryAsync(id, cancellationToken).ConfigureAwait(false);
        var message = outcome switch
        {
            RetryOutcome.Retried => $"job {id} is available to run again",
            RetryOutcome.AlreadyPending => $"job {id} is already available or running; nothing changed",
            _ => throw new CliFailureException($"no job with id {id} in schema '{db.Target.Schema}'"),
        };
        await db.AuditAsync(Context, "jobs.retry", null, [id], message, cancellationToken).ConfigureAwait(false);
        Context.Out.WriteLine(message);
        return ExitCodes.Ok;
    }
}
