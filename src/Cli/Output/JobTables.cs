using JobPlatform.Core;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace JobPlatform.Cli.Output;

/// <summary>Human-readable renderings of jobs.</summary>
internal static class JobTables
{
    public static Table List(IReadOnlyList<Job> jobs, DateTimeOffset now)
    {
        // The error column only when some job has one: narrow terminals need the room.
        var showErrors = jobs.Any(j => j.Errors.Count > 0);
        string[] headers = ["Id", "Kind", "Queue", "State", "Attempt", "When", .. showErrors ? new[] { "Last error" } : []];
        // Borderless, two spaces between columns (as kubectl prints): lists are wide, and every column counts.
        var table = Formats.Table(headers).NoBorder();
        foreach (var column in table.Columns)
        {
            column.PadLeft(0).PadRight(2);
        }

        // Ids are copied into the next command, and times are short: never wrap them; the rest gives way.
        table.Columns[0].NoWrap();
        table.Columns[5].NoWrap();
        foreach (var job in jobs)
        {
            var cells = new List<IRenderable>
            {
                Formats.Cell(job.Id.ToString()),
                Formats.Cell(job.Kind),
                Formats.Cell(job.Queue),
                State(job.State),
                Formats.Cell($"{job.Attempt}/{job.MaxAttempts}"),
                Formats.Cell(When(job, now)),
            };
            if (showErrors)
            {
                cells.Add(Formats.Cell(job.Errors.Count > 0 ? Shorten(job.Errors[^1].Message, 80) : ""));
            }

            table.AddRow(cells);
        }

        return table;
    }

    /// <summary>The moment the state implies (ready since, runs in, started, ended), relative to now; exact
    /// times are in <c>get</c> and <c>--json</c>.</summary>
    private static string When(Job job, DateTimeOffset now) => job.State switch
    {
        JobState.Running => Formats.Relative(job.AttemptedAt - now),
        _ when job.FinalizedAt is not null => Formats.Relative(job.FinalizedAt - now),
        _ => Formats.Relative(job.ScheduledAt - now),
    };

    public static IRenderable Details(Job job)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        // Empty fields are left out: most jobs have no unique key, tenant or timeout.
        void Row(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                grid.AddRow(new Markup($"[bold]{Markup.Escape(name)}[/]"), Formats.Cell(value));
            }
        }


        Row("Id", job.Id.ToString());
        Row("Kind", job.Kind);
        Row("Queue", job.Queue);
        grid.AddRow(new Markup("[bold]State[/]"), State(job.State));
        Row("Attempt", $"{job.Attempt} of {job.MaxAttempts}");
        Row("Priority", job.Priority.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Row("Args", job.ArgsJson);
        Row("Unique key", job.UniqueKey);
        Row("Tags", string.Join(", ", job.Tags));
        Row("Tenant", job.TenantId);
        Row("Timeout", job.Timeout?.ToString());
        Row("Created", Formats.Time(job.CreatedAt));
        Row("Scheduled", Formats.Time(job.ScheduledAt));
        Row("Attempted", job.AttemptedAt is null ? "" : $"{Formats.Time(job.AttemptedAt)} by {job.AttemptedBy}");
        Row("Finalized", Formats.Time(job.FinalizedAt));
        Row("Cancel requested", Formats.Time(job.CancelRequestedAt));
        if (job.Errors.Count == 0)
        {
            return grid;
        }

        var errors = Formats.Table("Attempt", "At", "Worker", "Type", "Message");
        foreach (var error in job.Errors)
        {
            errors.AddRow(Formats.Cell(error.Attempt), Formats.Cell(Formats.Time(error.At)), Formats.Cell(error.Worker),
                Formats.Cell(error.Type), Formats.Cell(error.Message));
        }

        return new Rows(grid, new Text(""), errors, new Text($"Stack traces: jobctl get {job.Id} --json"));
    }

    /// <summary>The state in lower case (as the database and --state spell it), coloured where colour is on.</summary>
    private static Markup State(JobState state)
    {
        var colour = state switch
        {
            JobState.Completed => "green",
            JobState.Discarded => "red",
            JobState.Retryable => "yellow",
            JobState.Running => "blue",
            JobState.Cancelled => "grey",
            _ => "default",
        };
        return new Markup($"[{colour}]{state.ToDb()}[/]");
    }

    private static string? Shorten(string? text, int max)
    {
        var line = text is null ? null : Messages.OneLine(text);
        return line is null || line.Length <= max ? line : line[..(max - 1)] + "…";
    }
}
