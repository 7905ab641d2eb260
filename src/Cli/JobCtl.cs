using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using JobPlatform.Cli.Commands;

namespace JobPlatform.Cli;

/// <summary>Builds the command tree, parses, runs, and maps every outcome to an exit code.</summary>
internal static class JobCtl
{
    /// <summary>How long a command gets to clean up after Ctrl+C or SIGTERM (the benchmark drops its schema).</summary>
    private static readonly TimeSpan TerminationGrace = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(string[] args, CliContext context)
    {
        var root = CreateRootCommand(context);
        // No response files: a value such as --tag @ops must stay a value, not name a file to expand.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Action is ParseErrorAction)
        {
            return ReportParseErrors(parse, context);
        }

        var configuration = new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Err,
            // Our own reporter gives one line and the right exit code instead of a stack trace.
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = context.IsProcess ? TerminationGrace : null,
        };
        try
        {
            return await parse.InvokeAsync(configuration).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return ErrorReporter.Report(e, context);
        }
    }

    internal static Command CreateRootCommand(CliContext context)
    {
        var options = new GlobalOptions();
        // A plain command named "jobctl" rather than RootCommand, whose name is the host executable's
        // ("testhost" in tests, "dotnet" under some launchers).
        var root = new Command("jobctl", "Operate a JobPlatform installation: a PostgreSQL job queue.")
        {
            new HelpOption(),
            new VersionOption(),
            options.Database,
            options.Schema,
            new MigrateCommand(context, options),
            new EnqueueCommand(context, options),
            new ListCommand(context, options),
            new GetCommand(context, options),
            new StatsCommand(context, options),
            new RetryCommand(context, options),
            new CancelCommand(context, options),
            new QueuePauseCommand(context, options, pause: true),
            new QueuePauseCommand(context, options, pause: false),
            new RecurringCommand(context, options),
            new BenchCommand(context, options),
            new AlertsCommand(context, options),
            new DashboardCommand(context),
        };

        // Bare `jobctl` shows the help rather than an error about a missing command.
        root.SetAction(parse =>
        {
            new HelpAction().Invoke(parse);
            return ExitCodes.Usage;
        });
        return root;
    }

    private static int ReportParseErrors(ParseResult parse, CliContext context)
    {
        var errors = string.Join("; ", parse.Errors.Select(e => e.Message.TrimEnd('.')).Distinct());
        var commandPath = string.Join(' ', Ancestry(parse.CommandResult.Command).Select(c => c.Name));
        context.Err.WriteLine($"jobctl: {Messages.OneLine(errors)} (see '{commandPath} --help')");
        return ExitCodes.Usage;
    }

    private static IEnumerable<Command> Ancestry(Command command)
    {
        var chain = new List<Command>();
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            chain.Insert(0, c);
        }

        return chain;
    }
}
