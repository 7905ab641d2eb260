using System.CommandLine;
using JobPlatform.Cli.Enqueueing;
using JobPlatform.Cli.Output;
using JobPlatform.Core;
using Spectre.Console;

namespace JobPlatform.Cli.Commands;

/// <summary><c>jobctl enqueue</c>: one job, or many identical ones in bulk.</summary>
internal sealed class EnqueueCommand : CliCommand
{
    /// <summary>Most jobs one command enqueues.</summary>
    public const int MaxCount = 10_000_000;

    /// <summary>Above this many jobs, <c>--json</c> prints the count instead of every id.</summary>
    public const int MaxIdsPrinted = 1000;

    /// <summary>The args records jobctl can check before writing.</summary>
    internal static readonly JobHandlerRegistry KnownKinds = CatalogueKinds.Create();

    private readonly Option<string> _kind = new("--kind") { Description = "Job kind, e.g. email.send", HelpName = "kind", Required = true };
    private readonly Option<string?> _args = new("--args") { Description = "Args as a JSON object [default: {}]", HelpName = "json" };
    private readonly Option<string?> _argsFile = new("--args-file") { Description = "Read the args JSON from this file ('-' for stdin), for args too long for a command line", HelpName = "path" };
    private readonly Option<string?> _queue = new("--queue") { Description = "Queue name [default: default]", HelpName = "name" };
    private readonly Option<int?> _priority = ValueOptions.Integer("--priority", "0 (runs first) to 9 [default: 0]");
    private readonly Option<int?> _maxAttempts = ValueOptions.Integer("--max-attempts", "Attempts before the job is discarded, 1 to 1000 [default: 25]");
    private readonly Option<int?> _count = ValueOptions.Integer("--count", $"Enqueue this many identical jobs, 1 to {MaxCount:N0} [default: 1]");
    private readonly Option<DateTimeOffset?> _at = ValueOptions.Time("--at", "Run at (not before) this time, ISO-8601, e.g. 2026-11-22T10:00:00Z");
    private readonly Option<TimeSpan?> _delay = ValueOptions.Duration("--delay", "Run after this delay, e.g. 30s, 5m, 2h or 00:05:00");
    private readonly Option<TimeSpan?> _timeout = ValueOptions.Duration("--timeout", "Per-attempt time limit, e.g. 90s");
    private readonly Option<string?> _uniqueKey = new("--unique-key") { Description = "Skip the insert while an unfinished or completed job holds this key", HelpName = "key" };
    private readonly Option<string[]> _tags = new("--tag") { Description = "Label for operators (repeat for several)", HelpName = "tag" };
    private readonly Option<bool> _json = CommonOptions.Json("Print {\"ids\":[…]} as JSON ({\"count\":N} above 1000 jobs)");

    public EnqueueCommand(CliContext context, GlobalOptions global)
        : base("enqueue", "Enqueue a job by kind and JSON args, or --count identical jobs in bulk", context, global)
    {
        Options.Add(_kind);
        Options.Add(_args);
        Options.Add(_argsFile);
        Options.Add(_queue);
        Options.Add(_priority);
        Options.Add(_maxAttempts);
        Options.Add(_count);
        Options.Add(_at);
        Options.Add(_delay);
        Options.Add(_timeout);
        Options.Add(_uniqueKey);
        Options.Add(_tags);
        Options.Add(_json);
    }

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var count = parse.GetValue(_count) ?? 1;
        var insert = BuildInsert(parse, count, await ReadArgsAsync(parse, cancellationToken).ConfigureAwait(false));
        await using var db = Connect(parse);
        if (count == 1)
        {
            // The client validates everything before it opens a connection.
            var result = await db.Client.EnqueueAsync(insert, cancellationToken).ConfigureAwait(false);
            PrintOne(parse, insert, result);
            return ExitCodes.Ok;
        }

        var json = parse.GetValue(_json);
        var collectIds = json && count <= MaxIdsPrinted;
        long done = 0;
        List<Guid> ids;
        try
        {
            ids = count >= ChunkedEnqueuer.DefaultChunkSize && Context.ShowProgress
                ? await Context.ErrConsole.Progress().AutoClear(true).StartAsync(progress =>
                {
                    var task = progress.AddTask("enqueueing", maxValue: count);
                    return ChunkedEnqueuer.EnqueueAsync(db.Client, insert, count, ChunkedEnqueuer.DefaultChunkSize, collectIds,
                        total => task.Value = done = total, cancellationToken);
                }).ConfigureAwait(false)
                : await ChunkedEnqueuer.EnqueueAsync(db.Client, insert, count, ChunkedEnqueuer.DefaultChunkSize, collectIds,
                    total => done = total, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (done > 0)
        {
            // Earlier chunks are committed: say how many, so the operator knows what a rerun would duplicate.
            throw new CliFailureException($"{done:N0} of {count:N0} jobs had been enqueued", e);
        }

        if (!json)
        {
            Context.Out.WriteLine($"enqueued {count} jobs");
        }
        else if (collectIds)
        {
            WriteIds(ids, duplicate: false);
        }
        else
        {
            JsonOutput.Write(Context.Out, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("count", count);
                w.WriteEndObject();
            });
        }

        return ExitCodes.Ok;
    }

    /// <summary>Checks what only the CLI knows about; the client validates the job itself before writing.</summary>
    private JobInsert BuildInsert(ParseResult parse, int count, string argsJson)
    {
        if (count is < 1 or > MaxCount)
        {
            throw new CliUsageException($"--count {count} is out of range: use 1 to {MaxCount:N0}.");
        }

        var at = parse.GetValue(_at);
        var delay = parse.GetValue(_delay);
        if (at is not null && delay is not null)
        {
            throw new CliUsageException("--at and --delay were both given: pass one of them.");
        }

        var uniqueKey = parse.GetValue(_uniqueKey);
        if (uniqueKey is not null && count > 1)
        {
            throw new CliUsageException(
                $"--unique-key with --count {count} would enqueue one job and {count - 1} duplicates: use --count 1 with a unique key.");
        }

        var tags = parse.GetValue(_tags) ?? [];
        var options = new EnqueueOptions
        {
            Queue = parse.GetValue(_queue),
            Priority = parse.GetValue(_priority),
            MaxAttempts = parse.GetValue(_maxAttempts),
            ScheduledAt = at,
            Delay = delay,
            Timeout = parse.GetValue(_timeout),
            Unique = uniqueKey is null ? null : new UniqueOptions { Key = uniqueKey },
            Tags = tags.Length > 0 ? tags : null,
        };
        var kind = parse.GetRequiredValue(_kind);
        try
        {
            // Kinds whose args record jobctl knows (the built-in ones) are checked here, before anything is
            // written; other kinds are checked by their worker, which discards args that do not fit.
            KnownKinds.ValidateArgs(kind, argsJson);
        }
        catch (JobValidationException e)
        {
            throw new CliUsageException($"--args: {e.Message}");
        }

        return new JobInsert(kind, argsJson, options);
    }

    private async Task<string> ReadArgsAsync(ParseResult parse, CancellationToken ct)
    {
        var path = parse.GetValue(_argsFile);
        if (path is null)
        {
            return parse.GetValue(_args) ?? "{}";
        }

        if (parse.GetValue(_args) is not null)
        {
            throw new CliUsageException("--args and --args-file were both given: pass one of them.");
        }

        try
        {
            return path == "-"
                ? await Context.In.ReadToEndAsync(ct).ConfigureAwait(false)
                : await File.ReadAllTextAsync(path, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"--args-file '{path}' cannot be read: {Messages.Of(e)}.");
        }
    }

    private void PrintOne(ParseResult parse, JobInsert insert, JobInsertResult result)
    {
        if (result.Duplicate)
        {
            Context.Err.WriteLine(
                $"jobctl: job {result.Id} already holds unique key '{insert.Options?.Unique?.Key}'; no new job was enqueued");
        }

        if (parse.GetValue(_json))
        {
            WriteIds([result.Id], result.Duplicate);
        }
        else
        {
            Context.Out.WriteLine(result.Id);
        }
    }

    private void WriteIds(IReadOnlyList<Guid> ids, bool duplicate) =>
        JsonOutput.Write(Context.Out, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("ids");
            foreach (var id in ids)
            {
                w.WriteStringValue(id);
            }

            w.WriteEndArray();
            if (duplicate)
            {
                w.WriteBoolean("duplicate", true);
            }

            w.WriteEndObject();
        });
}
