using System.Globalization;
using JobPlatform.Core.Storage;

namespace JobPlatform.Core;

/// <summary>
/// Fires recurring schedules: enqueues a schedule's job in one transaction with the schedule's bookkeeping
/// (what the fire did, and which job), under the fire's unique key so a fire can never produce two jobs. The
/// scheduler calls <see cref="FireAsync"/> for each scheduled fire; jobctl and the dashboard call
/// <see cref="TriggerAsync"/> when an operator asks. The definitions themselves are kept by <see cref="RecurringSchedules"/>.
/// </summary>
public sealed class RecurringFirer
{
    /// <summary>Prefix of every recurring job's unique key and tag.</summary>
    public const string KeyPrefix = "recurring:";

    private static readonly string[] UnfinishedStates = ["available", "scheduled", "running", "retryable"];

    private readonly JobClient _client;
    private readonly RecurringStore _store;

    /// <summary>Creates the firer on a client's database and schema.</summary>
    /// <param name="client">The client whose data source, schema and validation rules apply.</param>
    public RecurringFirer(JobClient client)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _store = new RecurringStore(client.DataSource, client.Sql);
    }

    /// <summary>
    /// Enqueues the schedule's job now, outside its timetable, even when paused or while its previous job
    /// runs (an operator asked for it). The unique key carries the trigger time.
    /// </summary>
    public Task<RecurringFireResult> TriggerAsync(string id, CancellationToken cancellationToken = default) =>
        FireCoreAsync(id, _client.Time.GetUtcNow(), manual: true, cancellationToken);

    /// <summary>
    /// One scheduled fire, as the scheduler makes it: enqueues the job for <paramref name="scheduledFireTime"/>
    /// unless the schedule is paused, gone, or skips while its previous job is unfinished. Safe to repeat:
    /// a second call for the same fire time finds the first job (<see cref="RecurringFireOutcome.Duplicate"/>).
    /// </summary>
    public Task<RecurringFireResult> FireAsync(string id, DateTimeOffset scheduledFireTime, CancellationToken cancellationToken = default) =>
        FireCoreAsync(id, scheduledFireTime, manual: false, cancellationToken);

    /// <summary>The unique key of a fire: <c>recurring:&lt;id&gt;:&lt;fire time, UTC, ISO 8601&gt;</c>.</summary>
    public static string FireKey(string id, DateTimeOffset fireTime)
    {
        var utc = fireTime.ToUniversalTime();
        var format = utc.Millisecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
        return KeyPrefix + id + ":" + utc.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>The job a fire of <paramref name="schedule"/> enqueues under <paramref name="uniqueKey"/>.</summary>
    internal static JobInsert ToInsert(RecurringSchedule schedule, string uniqueKey) =>
        new(schedule.Kind, schedule.ArgsJson, new EnqueueOptions
        {
            Queue = schedule.Queue,
            Priority = schedule.Priority,
            Tags = [KeyPrefix + schedule.Id],
            Unique = new UniqueOptions { Key = uniqueKey, States = UniqueStates.All },
        });

    private async Task<RecurringFireResult> FireCoreAsync(string id, DateTimeOffset fireTime, bool manual, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        var key = FireKey(id, fireTime);
        await using var connection = await _client.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (await _store.LockForFireAsync(connection, id, cancellationToken).ConfigureAwait(false) is not { } locked)
        {
            return new RecurringFireResult(RecurringFireOutcome.NotFound, null, key);
        }

        var (schedule, paused, lastJobId, lastJobState) = locked;

        if (paused && !manual)
        {
            return new RecurringFireResult(RecurringFireOutcome.Paused, null, key);
        }

        RecurringFireResult result;
        if (!manual && schedule.SkipIfRunning && lastJobState is not null && UnfinishedStates.Contains(lastJobState))
        {
            result = new RecurringFireResult(RecurringFireOutcome.Skipped, lastJobId, key);
        }
        else
        {
            var inserted = await _client.EnqueueAsync(connection, ToInsert(schedule, key), cancellationToken).ConfigureAwait(false);
            result = new RecurringFireResult(inserted.Duplicate ? RecurringFireOutcome.Duplicate : RecurringFireOutcome.Enqueued, inserted.Id, key);
        }

        await _store.RecordFireAsync(connection, id, fireTime, result, cancellationToken).ConfigureAwait(false);

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }
}
