using JobPlatform.Core;

namespace JobPlatform.Core.Tests;

public sealed class RetryPolicyTests
{
    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(10, 2560)]
    public void Delay_doubles_per_attempt_from_the_base(int attempt, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryPolicy.Default.NextDelay(attempt, 0.5));

    [Fact]
    public void Delay_is_capped_at_the_maximum_even_for_huge_attempts()
    {
        Assert.Equal(TimeSpan.FromDays(1), RetryPolicy.Default.NextDelay(25, 0.5));
        Assert.Equal(TimeSpan.FromDays(1), RetryPolicy.Default.NextDelay(1000, 0.5));
    }

    [Fact]
    public void Jitter_spreads_the_delay_within_its_fraction()
    {
        Assert.Equal(TimeSpan.FromSeconds(4), RetryPolicy.Default.NextDelay(1, 0));
        Assert.Equal(TimeSpan.FromSeconds(6), RetryPolicy.Default.NextDelay(1, 1));
        var random = new Random(42);
        var samples = Enumerable.Range(0, 1000).Select(_ => RetryPolicy.Default.NextDelay(3, random.NextDouble()).TotalSeconds).ToList();
        Assert.All(samples, s => Assert.InRange(s, 16, 24));
        Assert.True(samples.Distinct().Count() > 100);
    }

    [Fact]
    public void Attempt_below_one_is_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RetryPolicy.Default.NextDelay(0, 0.5));
}
