using System.CommandLine;
using JobPlatform.Cli.Output;

namespace JobPlatform.Cli.Commands;

/// <summary><c>jobctl get ID</c>: one job with its errors.</summary>
internal sealed class GetCommand : CliCommand
{
    private readonly Argument<Guid> _id = CommonOptions.JobId();
    private readonly Option<bool> _json = CommonOptions.Json("Print the job as JSON, error stack traces included");

    public GetCommand(CliContext context, GlobalOptions global)
        : base("get", "Show one job with its errors", context, global)
    {
        Arguments.Add(_id);
        Options.Add(_json);
    }

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var id = parse.GetValue(_id);
        await using var db = Connect(parse);
        var job = await db.Client.GetAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new CliFailureException($"no job with id {id} in schema '{db.Target.Schema}' (finished jobs are pruned after their retention)");
        if (parse.GetValue(_json))
        {
            JsonOutput.Write(Context.Out, w => JobJson.Write(w, job));
        }
        else
        {
            Context.OutConsole.Write(JobTables.Details(job));
        }

        return ExitCodes.Ok;
    }
}
