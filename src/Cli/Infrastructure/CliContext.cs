using Spectre.Console;

namespace JobPlatform.Cli;

/// <summary>
/// What one run of jobctl writes to and reads from: its output streams, its environment, and the database
/// it ended up talking to (so errors can name host and port). Tests build one around string writers.
/// </summary>
internal sealed class CliContext
{
    private readonly Func<string, string?> _environment;
    private IAnsiConsole? _outConsole;
    private IAnsiConsole? _errConsole;

    private CliContext(TextReader stdin, TextWriter stdout, TextWriter stderr, Func<string, string?> environment, bool isProcess)
    {
        In = stdin;
        Out = stdout;
        Err = stderr;
        _environment = environment;
        IsProcess = isProcess;
    }

    /// <summary>Standard input (<c>--args-file -</c>).</summary>
    public TextReader In { get; }

    /// <summary>Standard output: results only, so it can be piped (JSON, ids, tables).</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error: errors, progress and status lines.</summary>
    public TextWriter Err { get; }

    /// <summary>True when this is the real process (signals are handled, terminals detected), false in tests.</summary>
    public bool IsProcess { get; }

    /// <summary>Whether errors include the exception and stack trace (<c>JOBCTL_DEBUG=1</c>).</summary>
    public bool Debug => GetEnvironment("JOBCTL_DEBUG") is "1" or "true";

    /// <summary>Whether live progress may be drawn: a person is watching both output streams.</summary>
    public bool ShowProgress =>
        IsProcess && !Console.IsOutputRedirected && !Console.IsErrorRedirected && ErrConsole.Profile.Capabilities.Interactive;

    /// <summary>Spectre console over <see cref="Out"/> (tables).</summary>
    public IAnsiConsole OutConsole => _outConsole ??= CreateConsole(Out);

    /// <summary>Spectre console over <see cref="Err"/> (progress bars).</summary>
    public IAnsiConsole ErrConsole => _errConsole ??= CreateConsole(Err);

    /// <summary>The database in use, once a command has resolved it; error messages name its host and port.</summary>
    public DatabaseTarget? Target { get; set; }

    public static CliContext ForProcess() =>
        new(Console.In, Console.Out, Console.Error, Environment.GetEnvironmentVariable, isProcess: true);

    public static CliContext ForCapture(TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string>? environment, TextReader? stdin = null) =>
        new(stdin ?? TextReader.Null, stdout, stderr,
            environment is null ? Environment.GetEnvironmentVariable : name => environment.GetValueOrDefault(name),
            isProcess: false);

    public string? GetEnvironment(string name) => _environment(name) is { Length: > 0 } value ? value : null;

    private IAnsiConsole CreateConsole(TextWriter writer)
    {
        var output = new AnsiConsoleOutput(writer);
        var terminal = IsProcess && output.IsTerminal;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = output,
            // Captured or piped output gets plain text: escape codes would end up in files and test assertions.
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            // A pipe has no width; 80 columns would wrap job ids and timestamps.
            console.Profile.Width = 200;
        }

        return console;
    }
}
