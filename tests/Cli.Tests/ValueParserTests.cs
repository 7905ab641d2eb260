namespace JobPlatform.Cli.Tests;

public sealed class ValueParserTests
{
    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("5m", 300_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("250ms", 250)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("00:05:00", 300_000)]
    [InlineData("1.02:00:00", 93_600_000)]
    public void Durations_in_short_and_timespan_forms(string text, long expectedMs)
    {
        Assert.True(ValueParsers.TryParseDuration(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("5x")]
    [InlineData("-5s")]
    [InlineData("s")]
    [InlineData("1h 30m")]
    public void Not_durations(string text) => Assert.False(ValueParsers.TryParseDuration(text, out _));

    [Theory]
    [InlineData("2026-11-22T10:00:00Z", "2026-11-22T10:00:00+00:00")]
    [InlineData("2026-11-22T11:00:00+01:00", "2026-11-22T10:00:00+00:00")]
    [InlineData("2026-11-22T10:00:00", "2026-11-22T10:00:00+00:00")]
    public void Times_are_iso_8601_and_utc_when_no_offset_is_given(string text, string expected)
    {
        Assert.True(ValueParsers.TryParseTime(text, out var time));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), time);
    }
}
