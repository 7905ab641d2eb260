using System.Globalization;
using JobPlatform.Core;
using Npgsql;

namespace JobPlatform.Jobs.Email;

/// <summary>
/// Token buckets in PostgreSQL (<c>jobs_rate_limits</c>), shared by every worker process: a provider's
/// messages-per-second limit holds across the fleet, not per process. Each take is one upsert that refills the
/// bucket by the time elapsed on the database clock, under the row lock, and takes a token or reports the wait.
/// </summary>
internal sealed class SharedRateLimiter
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _takeSql;

    /// <summary>Uses the <c>jobs_rate_limits</c> table of <paramref name="schema"/> (created by the jobs module migrations).</summary>
    public SharedRateLimiter(NpgsqlDataSource dataSource, string schema)
    {
        _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
        ArgumentException.ThrowIfNullOrWhiteSpace(schema);
        _takeSql = JobsSql.Get("Email", "rate_limit_take", schema);
    }

    /// <summary>Takes one token from <paramref name="bucket"/> if it has one.</summary>
    /// <param name="bucket">The bucket's name, e.g. <c>smtp:mail.example.com:587</c>.</param>
    /// <param name="perSecond">Refill rate in tokens per second (positive).</param>
    /// <param name="burst">Capacity: tokens that may be taken at once after a quiet spell (at least 1).</param>
    /// <param name="cancellationToken">Cancels the database call.</param>
    public async Task<RateLimitDecision> TryTakeAsync(string bucket, double perSecond, double burst, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(bucket);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        await using var command = _dataSource.CreateCommand(_takeSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = bucket });
        command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = perSecond });
        command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = burst });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"The rate limit take on bucket '{bucket}' returned no row.");
        }

        var granted = reader.GetBoolean(0);
        var waitSeconds = Convert.ToDouble(reader.GetValue(1), CultureInfo.InvariantCulture);
        // A wait beyond TimeSpan's range can only come from an absurdly small rate; cap it at a day.
        var wait = granted ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Clamp(waitSeconds, 0, TimeSpan.FromDays(1).TotalSeconds));
        return new RateLimitDecision(granted, wait);
    }

    /// <summary>
    /// Takes a token, waiting in process while the wait is at most <paramref name="maxWait"/> in total; a longer
    /// wait snoozes the job instead of holding a worker slot.
    /// </summary>
    /// <exception cref="SnoozeJobException">The bucket will not have a token within <paramref name="maxWait"/>.</exception>
    public async Task TakeOrSnoozeAsync(string bucket, double perSecond, double burst, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        while (true)
        {
            var decision = await TryTakeAsync(bucket, perSecond, burst, cancellationToken).ConfigureAwait(false);
            if (decision.Granted)
            {
                return;
            }

            // A few ms of jitter so the waiters of several workers do not all come back in the same instant.
            var pause = decision.Wait + TimeSpan.FromMilliseconds(Random.Shared.Next(1, 20));
            if (waited + pause > maxWait)
            {
                var snooze = decision.Wait + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 500));
                throw new SnoozeJobException(snooze,
                    $"Rate limit '{bucket}' ({perSecond.ToString("0.###", CultureInfo.InvariantCulture)}/s, burst {burst.ToString("0.##", CultureInfo.InvariantCulture)}) " +
                    $"has no token for {decision.Wait.TotalSeconds:0.##} s; snoozed for {snooze.TotalSeconds:0.##} s.");
            }

            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            waited += pause;
        }
    }
}
