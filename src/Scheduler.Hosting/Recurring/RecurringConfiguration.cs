using System.Globalization;
using JobPlatform.Core;
using Microsoft.Extensions.Configuration;

namespace JobPlatform.Scheduler.Hosting;

/// <summary>Reads the schedules of <c>JobPlatform:Recurring:&lt;id&gt;</c>, one section per schedule.</summary>
public static class RecurringConfiguration
{
    /// <summary>The configuration section holding one child section per schedule id.</summary>
    public const string SectionName = "JobPlatform:Recurring";

    private static readonly HashSet<string> Keys = new(StringComparer.OrdinalIgnoreCase)
    {
        "Cron", "TimeZone", "Kind", "Args", "Queue", "Priority", "Misfire", "SkipIfRunning",
    };

    /// <summary>Every configured schedule.</summary>
    /// <exception cref="InvalidOperationException">A value cannot be read; the message names every bad key and the fix.</exception>
    public static IReadOnlyList<RecurringSchedule> Read(IConfiguration configuration)
    {
        var schedules = new List<RecurringSchedule>();
        var errors = new List<string>();
        foreach (var section in configuration.GetSection(SectionName).GetChildren())
        {
            if (ReadOne(section, errors) is { } schedule)
            {
                schedules.Add(schedule);
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, errors));
        }

        return schedules;
    }

    private static RecurringSchedule? ReadOne(IConfigurationSection section, List<string> errors)
    {
        var before = errors.Count;
        foreach (var unknown in section.GetChildren().Where(c => !Keys.Contains(c.Key)))
        {
            errors.Add($"{unknown.Path} is not a schedule setting; use {string.Join(", ", Keys)}.");
        }

        var cron = Required(section, "Cron", "\"0 30 2 * * ?\" (Quartz, with seconds) or \"30 2 * * *\" (crontab)", errors);
        var kind = Required(section, "Kind", "\"email.send\"", errors);
        var args = section.GetSection("Args");
        if (args.GetChildren().Any())
        {
            errors.Add($"{args.Path} must be one JSON string, e.g. \"{{\\\"sleepMs\\\": 5}}\", not a section of keys.");
        }

        var priority = 0;
        if (section["Priority"] is { } p && !int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out priority))
        {
            errors.Add($"{section.Path}:Priority is '{p}'; use a whole number from 0 (runs first) to 9.");
        }

        var misfire = RecurringMisfire.FireOnceNow;
        if (section["Misfire"] is { } m && !RecurringSchedules.TryParseMisfire(m, out misfire))
        {
            errors.Add($"{section.Path}:Misfire is '{m}'; use FireOnceNow (the default), DoNothing or IgnoreMisfires.");
        }

        var skip = false;
        if (section["SkipIfRunning"] is { } s && !bool.TryParse(s, out skip))
        {
            errors.Add($"{section.Path}:SkipIfRunning is '{s}'; use true or false.");
        }

        if (errors.Count > before)
        {
            return null;
        }

        return new RecurringSchedule(section.Key, cron!, kind!)
        {
            TimeZone = section["TimeZone"] ?? "UTC",
            ArgsJson = string.IsNullOrWhiteSpace(args.Value) ? "{}" : args.Value,
            Queue = section["Queue"],
            Priority = priority,
            Misfire = misfire,
            SkipIfRunning = skip,
        };
    }

    private static string? Required(IConfigurationSection section, string key, string example, List<string> errors)
    {
        var value = section[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{section.Path}:{key} is missing; set it, e.g. {example}.");
        }

        return value;
    }
}
