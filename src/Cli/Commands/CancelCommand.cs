using System.CommandLine;
using JobPlatform.Core;

namespace JobPlatform.Cli.Commands;

/// <summary><c>jobctl cancel ID</c>: cancels a job that has not finished.</summary>
internal sealed class CancelCommand : CliCommand
{
    private readonly Argument<Guid> _id = CommonOptions.JobId();

    public CancelCommand(CliContext context, GlobalOptions global)
        : base("cancel", "Cancel a job that has not finished (a running job's worker is told to stop it)", context, global)
    {
        Arguments.Add(_id);
    }

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var id = parse.GetValue(_id);
        await using var db = Connect(parse);
        var outcome = await db.Client.CancelAsync(id, cancellationToken).ConfigureAwait(false);
        var message = outcome switch
        {
            CancelOutcome.Cancelled => $"job {id} cancelled",
            CancelOutcome.CancellationRequested => $"job {id} is running: its worker was told to cancel it; it ends cancelled when the handler stops",
            CancelOutcome.AlreadyFinal => $"job {id} had already finished; nothing changed",
            _ => throw new CliFailureException($"no job with id {id} in schema '{db.Target.Schema}'"),
        };
        await db.AuditAsync(Context, "jobs.cancel", null, [id], message, cancellationToken).ConfigureAwait(false);
        Context.Out.WriteLine(message);
        return ExitCodes.Ok;
    }
}
