using JobPlatform.Core;
using JobPlatform.Scheduler.Hosting;
using Microsoft.Extensions.Configuration;

namespace JobPlatform.Scheduler.Tests;

/// <summary>Cron reading and the triggers the scheduler builds, checked without waiting for real days.</summary>
public sealed class TimetableTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static List<DateTimeOffset> Fires(RecurringTrigger trigger, DateTimeOffset from, DateTimeOffset to)
    {
        var built = RecurringTriggerSync.BuildTrigger(trigger, startAt: from);
        var fires = new List<DateTimeOffset>();
        for (var t = built.GetFireTimeAfter(from); t is { } at && at < to; t = built.GetFireTimeAfter(at))
        {
            fires.Add(at);
        }

        return fires;
    }

    private static RecurringTrigger Daily0230Berlin => new("daily", "0 30 2 * * ?", "Europe/Berlin", RecurringMisfire.FireOnceNow, false, false, 1);

    [Fact]
    public void Daily_0230_in_Berlin_fires_once_on_the_spring_forward_day_at_the_first_valid_instant()
    {
        // 2026-03-29 02:00 CET jumps to 03:00 CEST: 02:30 does not exist that day.
        var fires = Fires(Daily0230Berlin, new DateTimeOffset(2026, 3, 27, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero));
        var local = fires.Select(f => TimeZoneInfo.ConvertTime(f, Berlin)).ToList();
        Assert.Equal([27, 28, 29, 30, 31], local.Select(l => l.Day));
        Assert.Equal(new DateTimeOffset(2026, 3, 28, 1, 30, 0, TimeSpan.Zero), fires[1]);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), fires[2]); // 03:00 CEST
        Assert.Equal(new DateTimeOffset(2026, 3, 30, 0, 30, 0, TimeSpan.Zero), fires[3]); // 02:30 CEST
        Assert.All(local.Where(l => l.Day != 29), l => Assert.Equal((2, 30), (l.Hour, l.Minute)));
    }

    [Fact]
    public void Daily_0230_in_Berlin_fires_once_on_the_fall_back_day_although_0230_happens_twice()
    {
        // 2026-10-25 03:00 CEST falls back to 02:00 CET: 02:30 local happens at 00:30Z and again at 01:30Z.
        var fires = Fires(Daily0230Berlin, new DateTimeOffset(2026, 10, 23, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 28, 0, 0, 0, TimeSpan.Zero));
        var local = fires.Select(f => TimeZoneInfo.ConvertTime(f, Berlin)).ToList();
        Assert.Equal([23, 24, 25, 26, 27], local.Select(l => l.Day));
        Assert.Single(fires, f => f.UtcDateTime.Date == new DateTime(2026, 10, 25));
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), fires[2]);
        Assert.Equal(new DateTimeOffset(2026, 10, 26, 1, 30, 0, TimeSpan.Zero), fires[3]);
        Assert.All(local, l => Assert.Equal((2, 30), (l.Hour, l.Minute)));
    }

    [Theory]
    [InlineData("30 2 * * *", "2026-11-24T02:30:00Z")]       // crontab, 5 fields
    [InlineData("30 2 * * 1-5", "2026-11-24T02:30:00Z")]     // Tuesday: a weekday (crontab Monday = 1)
    [InlineData("0 30 2 * * ?", "2026-11-24T02:30:00Z")]     // Quartz with seconds
    [InlineData("0 0 9 ? * SAT", "2026-11-28T09:00:00Z")]
    [InlineData("@daily", "2026-11-24T00:00:00Z")]
    [InlineData("0 12 * * 0", "2026-11-29T12:00:00Z")]       // crontab Sunday = 0
    public void Reads_quartz_crontab_and_macro_forms(string cron, string expected)
    {
        var next = new QuartzTimetable().NextFireTime(cron, TimeZoneInfo.Utc, new DateTimeOffset(2026, 11, 23, 16, 0, 0, TimeSpan.Zero));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next);
    }

    [Theory]
    [InlineData("0 61 * * * ?")]
    [InlineData("every day")]
    [InlineData("0 30 2 * * ? x")]
    [InlineData("@fortnightly")]
    public void Rejects_invalid_cron_with_a_format_error(string cron) =>
        Assert.Throws<FormatException>(() => QuartzTimetable.Parse(cron, TimeZoneInfo.Utc));

    [Fact]
    public void Configuration_errors_name_every_bad_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["JobPlatform:Recurring:a:Kind"] = "platform.noop",
            ["JobPlatform:Recurring:b:Cron"] = "@hourly",
            ["JobPlatform:Recurring:b:Kind"] = "platform.noop",
            ["JobPlatform:Recurring:b:Priority"] = "high",
            ["JobPlatform:Recurring:b:Misfire"] = "Later",
            ["JobPlatform:Recurring:b:Crn"] = "x",
            ["JobPlatform:Recurring:c:Cron"] = "@hourly",
            ["JobPlatform:Recurring:c:Kind"] = "platform.noop",
            ["JobPlatform:Recurring:c:Args:sleepMs"] = "5",
        }).Build();
        var e = Assert.Throws<InvalidOperationException>(() => RecurringConfiguration.Read(configuration));
        Assert.Contains("JobPlatform:Recurring:a:Cron is missing", e.Message);
        Assert.Contains("JobPlatform:Recurring:b:Priority is 'high'", e.Message);
        Assert.Contains("JobPlatform:Recurring:b:Misfire is 'Later'", e.Message);
        Assert.Contains("JobPlatform:Recurring:b:Crn is not a schedule setting", e.Message);
        Assert.Contains("JobPlatform:Recurring:c:Args must be one JSON string", e.Message);
    }

    [Fact]
    public void Configuration_is_read_with_defaults()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["JobPlatform:Recurring:nightly:Cron"] = "0 30 2 * * ?",
            ["JobPlatform:Recurring:nightly:Kind"] = "report.generate",
            ["JobPlatform:Recurring:nightly:TimeZone"] = "Europe/Berlin",
            ["JobPlatform:Recurring:nightly:Args"] = "{\"report\":\"operations\"}",
            ["JobPlatform:Recurring:nightly:Queue"] = "reports",
            ["JobPlatform:Recurring:nightly:Priority"] = "3",
            ["JobPlatform:Recurring:nightly:Misfire"] = "doNothing",
            ["JobPlatform:Recurring:nightly:SkipIfRunning"] = "true",
            ["JobPlatform:Recurring:tick:Cron"] = "* * * * *",
            ["JobPlatform:Recurring:tick:Kind"] = "platform.noop",
        }).Build();
        var schedules = RecurringConfiguration.Read(configuration).OrderBy(s => s.Id).ToList();
        Assert.Equal(
            new RecurringSchedule("nightly", "0 30 2 * * ?", "report.generate")
            {
                TimeZone = "Europe/Berlin", ArgsJson = "{\"report\":\"operations\"}", Queue = "reports", Priority = 3,
                Misfire = RecurringMisfire.DoNothing, SkipIfRunning = true,
            },
            schedules[0]);
        Assert.Equal(new RecurringSchedule("tick", "* * * * *", "platform.noop"), schedules[1]);
    }
}
