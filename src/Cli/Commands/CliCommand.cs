using System.CommandLine;

namespace JobPlatform.Cli.Commands;

/// <summary>A jobctl subcommand: knows the run's context and the global options, and runs asynchronously.</summary>
internal abstract class CliCommand : Command
{
    protected CliCommand(string name, string description, CliContext context, GlobalOptions global)
        : base(name, description)
    {
        Context = context;
        Global = global;
        SetAction(RunAsync);
    }

    protected CliContext Context { get; }

    protected GlobalOptions Global { get; }

    /// <summary>The data source, client and migrator for the --database/--schema of this run.</summary>
    protected CliDatabase Connect(ParseResult parse) => Global.ResolveTarget(parse, Context).Connect();

    /// <summary>Runs the command; throws for failures, which <see cref="ErrorReporter"/> turns into exit codes.</summary>
    protected abstract Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken);
}
