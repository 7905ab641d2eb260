using System.CommandLine;
using JobPlatform.Cli.Output;

namespace JobPlatform.Cli.Commands;

/// <summary><c>jobctl stats</c>: jobs per state, per-queue backlog, live workers.</summary>
internal sealed class StatsCommand : CliCommand
{
    private readonly Option<bool> _json = CommonOptions.Json("Print one JSON object: {\"states\":{…},\"queues\":[…],\"workers\":n}");

    public StatsCommand(CliContext context, GlobalOptions global)
        : base("stats", "Show jobs per state, each queue's backlog and the live workers", context, global)
    {
        Options.Add(_json);
    }

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        await using var db = Connect(parse);
        var stats = await db.Client.GetStatsAsync(cancellationToken).ConfigureAwait(false);
        if (parse.GetValue(_json))
        {
            JsonOutput.Write(Context.Out, w => StatsOutput.WriteJson(w, stats));
        }
        else
        {
            Context.OutConsole.Write(StatsOutput.Tables(stats));
        }

        return ExitCodes.Ok;
    }
}
