using System.CommandLine;
using JobPlatform.Cli.Output;
using JobPlatform.Core;

namespace JobPlatform.Cli.Commands;

/// <summary><c>jobctl list</c>: jobs, newest first, filtered by kind, state and queue.</summary>
internal sealed class ListCommand : CliCommand
{
    private readonly Option<string?> _kind = new("--kind") { Description = "Only jobs of this kind", HelpName = "kind" };
    private readonly Option<string?> _state = new("--state")
    {
        Description = "Only jobs in this state: " + string.Join(", ", JobStateNames.All.Select(s => s.ToDb())),
        HelpName = "state",
    };
    private readonly Option<string?> _queue = new("--queue") { Description = "Only jobs on this queue", HelpName = "name" };
    private readonly Option<int?> _limit = ValueOptions.Integer("--limit", $"Show at most this many, 1 to {JobListQuery.MaxLimit:N0} [default: 100]");
    private readonly Option<bool> _json = CommonOptions.Json("Print a JSON array of jobs (args as objects, errors included)");

    public ListCommand(CliContext context, GlobalOptions global)
        : base("list", "List jobs, newest first", context, global)
    {
        Options.Add(_kind);
        Options.Add(_state);
        Options.Add(_queue);
        Options.Add(_limit);
        Options.Add(_json);
    }

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var query = new JobListQuery
        {
            Kind = parse.GetValue(_kind),
            State = ParseState(parse.GetValue(_state)),
            Queue = parse.GetValue(_queue),
            Limit = parse.GetValue(_limit) ?? new JobListQuery().Limit,
        };
        await using var db = Connect(parse);
        var jobs = await db.Client.ListAsync(query, cancellationToken).ConfigureAwait(false);
        if (parse.GetValue(_json))
        {
            JsonOutput.Write(Context.Out, w =>
            {
                w.WriteStartArray();
                foreach (var job in jobs)
                {
                    JobJson.Write(w, job);
                }

                w.WriteEndArray();
            });
        }
        else if (jobs.Count == 0)
        {
            Context.Out.WriteLine("no jobs match");
        }
        else
        {
            Context.OutConsole.Write(JobTables.List(jobs, DateTimeOffset.UtcNow));
            if (jobs.Count == query.Limit)
            {
                Context.Out.WriteLine($"showing the newest {jobs.Count}; raise --limit or filter to see others");
            }
        }

        return ExitCodes.Ok;
    }

    private static JobState? ParseState(string? name)
    {
        if (name is null)
        {
            return null;
        }

        return JobStateNames.TryParse(name, out var state)
            ? state
            : throw new CliUsageException(
                $"--state '{name}' is not a job state: use one of {string.Join(", ", JobStateNames.All.Select(s => s.ToDb()))}.");
    }
}
