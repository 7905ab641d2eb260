using System.Text.Json;
using JobPlatform.Core;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace JobPlatform.Cli.Output;

/// <summary>Renderings of <see cref="PlatformStats"/>.</summary>
internal static class StatsOutput
{
    /// <summary>
    /// <c>{"states":{…every state…},"queues":[{"name","available","running","waiting","oldestAvailableAgeSeconds","paused"}],"workers":n}</c>.
    /// </summary>
    public static void WriteJson(Utf8JsonWriter w, PlatformStats stats)
    {
        w.WriteStartObject();
        w.WriteStartObject("states");
        foreach (var state in JobStateNames.All)
        {
            w.WriteNumber(state.ToDb(), stats.States.GetValueOrDefault(state));
        }

        w.WriteEndObject();
        w.WriteStartArray("queues");
        foreach (var queue in stats.Queues)
        {
            w.WriteStartObject();
            w.WriteString("name", queue.Name);
            w.WriteNumber("available", queue.Available);
            w.WriteNumber("running", queue.Running);
            w.WriteNumber("waiting", queue.Waiting);
            w.WriteNumber("oldestAvailableAgeSeconds", queue.OldestAvailableAgeSeconds);
            w.WriteBoolean("paused", queue.Paused);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber("workers", stats.Workers);
        w.WriteEndObject();
    }

    public static IRenderable Tables(PlatformStats stats)
    {
        var states = Formats.Table("State", "Jobs");
        states.Title("Jobs by state");
        foreach (var state in JobStateNames.All)
        {
            states.AddRow(Formats.Cell(state.ToDb()), Formats.Cell(stats.States.GetValueOrDefault(state)));
        }

        states.Columns[1].RightAligned();
        var parts = new List<IRenderable> { states };
        if (stats.Queues.Count == 0)
        {
            parts.Add(new Text("No queue holds unfinished jobs."));
        }
        else
        {
            var queues = Formats.Table("Queue", "Available", "Running", "Waiting", "Oldest available", "Paused");
            queues.Title("Queues");
            foreach (var queue in stats.Queues)
            {
                queues.AddRow(Formats.Cell(queue.Name), Formats.Cell(queue.Available), Formats.Cell(queue.Running),
                    Formats.Cell(queue.Waiting), Formats.Cell(Age(queue.OldestAvailableAgeSeconds, queue.Available)),
                    queue.Paused ? new Markup("[yellow]paused[/]") : Formats.Cell("no"));
            }

            for (var i = 1; i <= 4; i++)
            {
                queues.Columns[i].RightAligned();
            }

            parts.Add(queues);
        }

        parts.Add(new Text($"Live workers: {stats.Workers}"));
        return new Rows(parts);
    }

    private static string Age(double seconds, long available) =>
        available == 0 ? "-" : Formats.Relative(TimeSpan.FromSeconds(-seconds)).Replace(" ago", "");
}
