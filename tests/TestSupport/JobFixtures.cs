using JobPlatform.Core;

namespace JobPlatform.TestSupport;

/// <summary>A job row to write directly in a given state, as the engine would have left it.</summary>
public sealed record FixtureJob
{
    public required JobState State { get; init; }
    public string Queue { get; init; } = "default";
    public string Kind { get; init; } = "fixture.kind";
    public string Args { get; init; } = "{}";
    public int Priority { get; init; }
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Failed attempts to record, each with this message (a discarded job gets one by default).</summary>
    public int Errors { get; init; } = -1;

    public string ErrorType { get; init; } = "System.InvalidOperationException";
    public string ErrorMessage { get; init; } = "fixture failure";
    public string Worker { get; init; } = "fixture-worker";
    public string[] Tags { get; init; } = [];
    public string? Tenant { get; init; }
    public string? UniqueKey { get; init; }

    /// <summary>How long before now the job was created (its other times follow from it).</summary>
    public TimeSpan Age { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>For scheduled and retryable jobs: how long from now until due.</summary>
    public TimeSpan DueIn { get; init; } = TimeSpan.FromHours(1);
}

/// <summary>Writes jobs straight into a test schema in any state, so that readers can be tested against rows
/// of every kind without running an engine to get there. Times follow from the job's age: created, then one
/// failure every 3 s, the latest attempt starting a second before the last failure, and the end after it.</summary>
public static class JobFixtures
{
    public static async Task<Guid> InsertJobAsync(this TestDatabase db, FixtureJob job)
    {
        var id = Guid.CreateVersion7(DateTimeOffset.UtcNow - job.Age);
        var errors = job.Errors >= 0 ? job.Errors : job.State == JobState.Discarded ? 1 : job.State == JobState.Retryable ? 1 : 0;
        var attempt = job.State switch
        {
            JobState.Available or JobState.Scheduled => Math.Min(errors, job.MaxAttempts),
            JobState.Discarded => job.MaxAttempts,
            _ => Math.Max(1, Math.Min(errors + 1, job.MaxAttempts)),
        };
        if (job.State == JobState.Retryable)
        {
            attempt = Math.Min(errors, job.MaxAttempts);
        }

        var final = job.State.IsFinal();
        var attempted = job.State is not (JobState.Available or JobState.Scheduled) || errors > 0;
        var archived = job.State == JobState.Completed && job.UniqueKey is null;
        await db.ExecuteAsync("""
            INSERT INTO {schema}.jobs (id, queue, kind, args, state, priority, attempt, max_attempts, scheduled_at, attempted_at,
                                       attempted_by, errors, tags, tenant_id, created_at, finalized_at, archived, unique_key, unique_states)
            SELECT $1, $2, $3, $4::jsonb, $5::{schema}.job_state, $6::smallint, $7, $8,
                   CASE WHEN $5 IN ('scheduled', 'retryable') THEN now() + $9 * interval '1 millisecond'
                        ELSE now() - $10 * interval '1 millisecond' + interval '1 second' END,
                   CASE WHEN $11 THEN now() - $10 * interval '1 millisecond' + greatest($15 * 3 - 1, 2) * interval '1 second' END,
                   CASE WHEN $11 THEN $12 END,
                   coalesce((SELECT jsonb_agg(jsonb_build_object('attempt', a, 'at', now() - $10 * interval '1 millisecond' + a * interval '3 seconds',
                                     'worker', $12, 'type', $13, 'message', $14 || ' ' || a, 'stack', '   at Fixture.Run() in Fixture.cs:line ' || a))
                             FROM generate_series(1, $15) a), '[]'::jsonb),
                   $16, $17::text, now() - $10 * interval '1 millisecond',
                   CASE WHEN $18 THEN now() - $10 * interval '1 millisecond' + greatest($15 * 3 + 1, 5) * interval '1 second' END,
                   $19, $20::text, CASE WHEN $20::text IS NOT NULL THEN 31::smallint END
            """,
            id, job.Queue, job.Kind, job.Args, job.State.ToDb(), job.Priority, attempt, job.MaxAttempts,
            (long)job.DueIn.TotalMilliseconds, (long)job.Age.TotalMilliseconds, attempted, job.Worker, job.ErrorType, job.ErrorMessage,
            errors, job.Tags, (object?)job.Tenant ?? DBNull.Value, final, archived, (object?)job.UniqueKey ?? DBNull.Value);
        return id;
    }

    /// <summary>Writes <paramref name="count"/> jobs of one state with one statement (for volume: plain rows, no errors),
    /// with UUIDv7-shaped ids a millisecond apart starting an hour ago.</summary>
    public static Task InsertManyAsync(this TestDatabase db, JobState state, int count, string queue = "default", string kind = "fixture.bulk") =>
        db.ExecuteAsync("""
            INSERT INTO {schema}.jobs (id, queue, kind, args, state, attempt, max_attempts, scheduled_at, attempted_at, attempted_by,
                                       created_at, finalized_at, archived)
            SELECT (lpad(to_hex((extract(epoch FROM now() - interval '1 hour') * 1000)::bigint + n), 12, '0')
                    || substr(md5(random()::text), 1, 20))::uuid, $1, $2, jsonb_build_object('n', n), $3::{schema}.job_state,
                   CASE WHEN $3 IN ('available', 'scheduled') THEN 0 ELSE 1 END, 3,
                   now() - interval '1 hour' + n * interval '1 millisecond',
                   CASE WHEN $3 NOT IN ('available', 'scheduled') THEN now() - interval '30 minutes' END,
                   CASE WHEN $3 NOT IN ('available', 'scheduled') THEN 'fixture-worker' END,
                   now() - interval '1 hour',
                   CASE WHEN $3 IN ('completed', 'discarded', 'cancelled') THEN now() - interval '20 minutes' + n * interval '1 millisecond' END,
                   $3 = 'completed'
            FROM generate_series(1, $4) n
            """, queue, kind, state.ToDb(), count);
}
