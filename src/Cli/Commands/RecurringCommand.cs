using System.CommandLine;
using System.Globalization;
using JobPlatform.Cli.Output;
using JobPlatform.Core;
using Spectre.Console;

namespace JobPlatform.Cli.Commands;

/// <summary><c>jobctl recurring list|add|remove|pause|resume|trigger</c>: the recurring schedules the scheduler fires.</summary>
internal sealed class RecurringCommand : Command
{
    public RecurringCommand(CliContext context, GlobalOptions global)
        : base("recurring", "List and change recurring schedules (fired by the scheduler, src/Scheduler)")
    {
        Subcommands.Add(new ListRecurring(context, global));
        Subcommands.Add(new AddRecurring(context, global));
        Subcommands.Add(new ChangeRecurring(context, global, "remove", "Remove a schedule added through jobctl or the dashboard"));
        Subcommands.Add(new ChangeRecurring(context, global, "pause", "Stop a schedule firing until it is resumed (also a configured one)"));
        Subcommands.Add(new ChangeRecurring(context, global, "resume", "Let a paused schedule fire again"));
        Subcommands.Add(new ChangeRecurring(context, global, "trigger", "Enqueue a schedule's job now, outside its timetable"));
    }

    private static Argument<string> ScheduleId() => new("id") { Description = "The schedule id" };

    private sealed class ListRecurring : CliCommand
    {
        private readonly Option<bool> _json = CommonOptions.Json("Print a JSON array of schedules");

        public ListRecurring(CliContext context, GlobalOptions global)
            : base("list", "List recurring schedules with their state and last fire", context, global)
        {
            Options.Add(_json);
        }

        protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
        {
            await using var db = Connect(parse);
            var schedules = await db.Recurring.ListAsync(cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(_json))
            {
                JsonOutput.Write(Context.Out, w =>
                {
                    w.WriteStartArray();
                    foreach (var s in schedules)
                    {
                        RecurringJson.Write(w, s);
                    }

                    w.WriteEndArray();
                });
            }
            else if (schedules.Count == 0)
            {
                Context.Out.WriteLine("no recurring schedules: add one with 'jobctl recurring add' or JobPlatform:Recurring:<id> in the scheduler's configuration");
            }
            else
            {
                Context.OutConsole.Write(RecurringJson.Table(schedules));
            }

            return ExitCodes.Ok;
        }
    }

    private sealed class AddRecurring : CliCommand
    {
        private readonly Argument<string> _id = ScheduleId();
        private readonly Option<string> _cron = new("--cron")
        {
            Description = "When: Quartz syntax with seconds (\"0 30 2 * * ?\"), crontab (\"30 2 * * *\") or a macro (\"@daily\"); checked by the scheduler",
            HelpName = "expression",
            Required = true,
        };
        private readonly Option<string> _kind = new("--kind") { Description = "The kind of job each fire enqueues", HelpName = "kind", Required = true };
        private readonly Option<string?> _args = new("--args") { Description = "The job's args as a JSON object [default: {}]", HelpName = "json" };
        private readonly Option<string?> _timeZone = new("--time-zone") { Description = "IANA time zone the cron is read in [default: UTC]", HelpName = "zone" };
        private readonly Option<string?> _queue = new("--queue") { Description = "The job's queue [default: default]", HelpName = "name" };
        private readonly Option<int?> _priority = ValueOptions.Integer("--priority", "The job's priority, 0 (runs first) to 9 [default: 0]");
        private readonly Option<string?> _misfire = new("--misfire")
        {
            Description = "Fire times missed while no scheduler ran: FireOnceNow (default), DoNothing or IgnoreMisfires (fire each)",
            HelpName = "policy",
        };
        private readonly Option<bool> _skipIfRunning = new("--skip-if-running") { Description = "Skip a fire while the previous fire's job is unfinished" };
        private readonly Option<TimeSpan?> _wait = ValueOptions.Duration("--wait",
            $"How long to wait for a running scheduler to check the cron and apply the schedule; 0s to return once stored [default: {(int)DefaultWait.TotalSeconds}s]");

        public AddRecurring(CliContext context, GlobalOptions global)
            : base("add", "Add a recurring schedule, or change one added before", context, global)
        {
            Arguments.Add(_id);
            Options.Add(_cron);
            Options.Add(_kind);
            Options.Add(_args);
            Options.Add(_timeZone);
            Options.Add(_queue);
            Options.Add(_priority);
            Options.Add(_misfire);
            Options.Add(_skipIfRunning);
            Options.Add(_wait);
        }

        /// <summary>Three sync intervals of a scheduler with default settings.</summary>
        private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(15);

        protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
        {
            var misfire = RecurringMisfire.FireOnceNow;
            if (parse.GetValue(_misfire) is { } m && !RecurringSchedules.TryParseMisfire(m, out misfire))
            {
                throw new CliUsageException($"--misfire '{m}' is not a misfire policy: use {RecurringSchedules.MisfireNames}.");
            }

            var kind = parse.GetRequiredValue(_kind);
            var args = parse.GetValue(_args) ?? "{}";
            try
            {
                EnqueueCommand.KnownKinds.ValidateArgs(kind, args);
            }
            catch (JobValidationException e)
            {
                throw new CliUsageException($"--args: {e.Message}");
            }

            var schedule = new RecurringSchedule(parse.GetRequiredValue(_id), parse.GetRequiredValue(_cron), kind)
            {
                ArgsJson = args,
                TimeZone = parse.GetValue(_timeZone) ?? "UTC",
                Queue = parse.GetValue(_queue),
                Priority = parse.GetValue(_priority) ?? 0,
                Misfire = misfire,
                SkipIfRunning = parse.GetValue(_skipIfRunning),
            };
            var wait = parse.GetValue(_wait) ?? DefaultWait;
            await using var db = Connect(parse);
            var before = await db.Recurring.GetAsync(schedule.Id, cancellationToken).ConfigureAwait(false);
            var added = await db.Recurring.AddOrUpdateAsync(schedule, cancellationToken).ConfigureAwait(false);
            var done = $"schedule '{schedule.Id}' {(added ? "added" : "saved")}";
            if (wait <= TimeSpan.Zero)
            {
                Context.Out.WriteLine($"{done}; a running scheduler checks its cron and applies it within its sync interval (default 5 s)");
                return ExitCodes.Ok;
            }

            var verdict = await SchedulerVerdict.WaitAsync(db, schedule.Id, wait, cancellationToken).ConfigureAwait(false);
            if (verdict.Refusal is { } refusal)
            {
                // Put back what was there, so a refused add leaves nothing behind, as any other bad input.
                _ = before is null
                    ? await db.Recurring.RemoveAsync(schedule.Id, cancellationToken).ConfigureAwait(false)
                    : await db.Recurring.AddOrUpdateAsync(before.Schedule, cancellationToken).ConfigureAwait(false);
                throw new CliUsageException($"{refusal} (checked by the scheduler; {(before is null ? "nothing is kept" : "the previous definition is kept")})");
            }

            Context.Out.WriteLine(verdict.Applied
                ? $"{done}; the scheduler accepted its cron and applied it"
                : $"{done}; no scheduler applied it within {wait.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s, so its cron is not checked yet: a running scheduler " +
                  "checks it (a refusal is in the audit log and the scheduler's log; 'applied' in 'jobctl recurring list --json' turns true once accepted)");
            return ExitCodes.Ok;
        }
    }

    private sealed class ChangeRecurring : CliCommand
    {
        private readonly Argument<string> _id = ScheduleId();

        public ChangeRecurring(CliContext context, GlobalOptions global, string name, string description)
            : base(name, description, context, global)
        {
            Arguments.Add(_id);
        }

        protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
        {
            var id = parse.GetRequiredValue(_id);
            await using var db = Connect(parse);
            var recurring = db.Recurring;
            string message;
            if (Name == "trigger")
            {
                var fired = await db.RecurringFirer.TriggerAsync(id, cancellationToken).ConfigureAwait(false);
                message = fired.Outcome == RecurringFireOutcome.NotFound
                    ? ""
                    : $"schedule '{id}' triggered: job {fired.JobId} ({fired.Outcome.ToString().ToLowerInvariant()}, key {fired.UniqueKey})";
            }
            else
            {
                var found = Name switch
                {
                    "remove" => await recurring.RemoveAsync(id, cancellationToken).ConfigureAwait(false),
                    "pause" => await recurring.PauseAsync(id, cancellationToken).ConfigureAwait(false),
                    _ => await recurring.ResumeAsync(id, cancellationToken).ConfigureAwait(false),
                };
                message = found ? $"schedule '{id}' {(Name == "remove" ? "removed" : Name + "d")}" : "";
            }

            if (message.Length == 0)
            {
                throw new CliFailureException($"no recurring schedule '{id}' in schema '{db.Target.Schema}' (see 'jobctl recurring list')");
            }

            await db.AuditAsync(Context, "recurring." + Name, id, [], message, cancellationToken).ConfigureAwait(false);
            Context.Out.WriteLine(message);
            return ExitCodes.Ok;
        }
    }
}

/// <summary>Renderings of recurring schedules.</summary>
internal static class RecurringJson
{
    public static string Time(DateTimeOffset? time) =>
        time?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";

    public static void Write(System.Text.Json.Utf8JsonWriter w, RecurringScheduleInfo info)
    {
        var s = info.Schedule;
        w.WriteStartObject();
        w.WriteString("id", s.Id);
        w.WriteString("cron", s.Cron);
        w.WriteString("timeZone", s.TimeZone);
        w.WriteString("kind", s.Kind);
        w.WritePropertyName("args");
        w.WriteRawValue(s.ArgsJson);
        w.WriteString("queue", s.Queue);
        w.WriteNumber("priority", s.Priority);
        w.WriteString("misfire", s.Misfire.ToString());
        w.WriteBoolean("skipIfRunning", s.SkipIfRunning);
        w.WriteString("source", info.Source == RecurringSource.Configuration ? "configuration" : "api");
        w.WriteBoolean("paused", info.Paused);
        w.WriteBoolean("applied", info.Applied);
        WriteTime(w, "nextFireAt", info.NextFireAt);
        WriteTime(w, "lastFireAt", info.LastFireAt);
        if (info.LastJobId is { } job)
        {
            w.WriteString("lastJobId", job);
        }
        else
        {
            w.WriteNull("lastJobId");
        }

        w.WriteString("lastOutcome", info.LastOutcome?.ToString().ToLowerInvariant());
        w.WriteEndObject();
    }

    public static Table Table(IReadOnlyList<RecurringScheduleInfo> schedules)
    {
        // Next fire is the scheduler's trigger's (jobctl does not read cron), so it is "-" until the scheduler applies a change.
        var table = Formats.Table(["Id", "Cron", "Time zone", "Kind", "Queue", "State", "Next fire", "Last fire", "Source"]).NoBorder();
        foreach (var column in table.Columns)
        {
            column.PadLeft(0).PadRight(2);
        }

        foreach (var info in schedules)
        {
            var s = info.Schedule;
            var last = info.LastFireAt is null ? "-" : $"{Time(info.LastFireAt)} {info.LastOutcome?.ToString().ToLowerInvariant()}";
            table.AddRow(
                Formats.Cell(s.Id), Formats.Cell(s.Cron), Formats.Cell(s.TimeZone), Formats.Cell(s.Kind), Formats.Cell(s.Queue ?? ""),
                Formats.Cell(info.Paused ? "paused" : info.Applied ? "applied" : "not applied"),
                Formats.Cell(Time(info.NextFireAt)), Formats.Cell(last),
                Formats.Cell(info.Source == RecurringSource.Configuration ? "config" : "api"));
        }

        return table;
    }

    private static void WriteTime(System.Text.Json.Utf8JsonWriter w, string name, DateTimeOffset? time)
    {
        if (time is { } t)
        {
            w.WriteString(name, t.ToUniversalTime());
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
