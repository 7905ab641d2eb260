using System.CommandLine;

namespace JobPlatform.Cli.Commands;

/// <summary><c>jobctl pause --queue Q</c> and <c>jobctl resume --queue Q</c>.</summary>
internal sealed class QueuePauseCommand : CliCommand
{
    private readonly bool _pause;
    private readonly Option<string> _queue;

    public QueuePauseCommand(CliContext context, GlobalOptions global, bool pause)
        : base(pause ? "pause" : "resume",
            pause ? "Stop workers fetching from a queue (running jobs finish)" : "Let workers fetch from a paused queue again",
            context, global)
    {
        _pause = pause;
        _queue = CommonOptions.RequiredQueue(pause ? "The queue to pause" : "The queue to resume");
        Options.Add(_queue);
    }

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var queue = parse.GetRequiredValue(_queue);
        await using var db = Connect(parse);
        string message;
        if (_pause)
        {
            await db.Client.PauseQueueAsync(queue, cancellationToken).ConfigureAwait(false);
            message = $"queue '{queue}' paused: workers fetch no new jobs from it; running jobs finish";
        }
        else
        {
            await db.Client.ResumeQueueAsync(queue, cancellationToken).ConfigureAwait(false);
            message = $"queue '{queue}' resumed";
        }

        await db.AuditAsync(Context, _pause ? "queue.pause" : "queue.resume", queue, [], message, cancellationToken).ConfigureAwait(false);
        Context.Out.WriteLine(message);
        return ExitCodes.Ok;
    }
}
