using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using JobPlatform.Core.Sql;

namespace JobPlatform.Core.HandOff;

/// <summary>
/// A worker's side of direct hand-off: the advisory lock that makes its slot offers live, the channel producers
/// send handed jobs on, and the jobs received, so that none starts twice. A handed job is already leased to this
/// worker when its notification is sent; if the notification is lost (the listener's connection dropped between
/// the producer's check of the lock and the delivery), the heartbeat finds the job among this worker's handed
/// jobs that it never received and starts it then (<see cref="FindLost"/>).
/// </summary>
internal sealed class HandOffReceiver(SqlCatalog sql, string workerId, TimeProvider time)
{
    /// <summary>How long a handed job's notification may take before the heartbeat treats it as lost.</summary>
    public static readonly TimeSpan LostAfter = TimeSpan.FromSeconds(2);

    // Received jobs, by id, with when they arrived; kept until the database no longer shows them running here.
    private readonly ConcurrentDictionary<Guid, long> _received = new();

    /// <summary>The session advisory lock the listener holds while it can receive hand-offs.</summary>
    public long LockKey { get; } = Random.Shared.NextInt64(long.MinValue, long.MaxValue);

    /// <summary>The NOTIFY channel handed jobs arrive on; each slot offer names it.</summary>
    public string Channel { get; } = ChannelOf(sql, workerId);

    /// <summary>Jobs received and not yet seen finished (tests).</summary>
    internal int Remembered => _received.Count;

    /// <summary>The channel of <paramref name="workerId"/>: the prefix and the first 12 hex digits of its MD5.</summary>
    public static string ChannelOf(SqlCatalog sql, string workerId) =>
        sql.HandOffChannelPrefix + Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(workerId)))[..12];

    /// <summary>Records a handed job as received; false when it already was (it must not start again).</summary>
    public bool TryReceive(Guid id) => _received.TryAdd(id, time.GetTimestamp());

    /// <summary>
    /// Compares the jobs the database shows handed to this worker and running (<paramref name="running"/>;
    /// <paramref name="stale"/> those handed longer ago than <see cref="LostAfter"/>) with those received, as of a
    /// check that started at <paramref name="checkedAt"/> (a timestamp of the engine's clock): forgets received jobs that no longer
    /// run, and returns the stale ones never received, whose notification was lost.
    /// </summary>
    public List<Guid> FindLost(IReadOnlySet<Guid> running, IEnumerable<Guid> stale, long checkedAt)
    {
        foreach (var (id, at) in _received)
        {
            // Received before the check began and not running then: its outcome is written.
            if (at < checkedAt && !running.Contains(id))
            {
                _received.TryRemove(id, out _);
            }
        }

        return stale.Where(id => !_received.ContainsKey(id)).ToList();
    }

    /// <summary>
    /// Reads a handed job from its notification, with the generation of the offer its slot came from: the JSON array
    /// insert_job_offered.sql sends, the columns of Storage/LeasedJobRow.cs in their order without unique_key, then
    /// the generation.
    /// </summary>
    /// <exception cref="FormatException">The payload is not a handed job.</exception>
    public static (FetchedJob Job, long Generation) Parse(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var a = document.RootElement;
            if (a.ValueKind != JsonValueKind.Array || a.GetArrayLength() != 15)
            {
                throw new FormatException("A hand-off is a JSON array of 15 values.");
            }

            var job = new FetchedJob(
                a[0].GetGuid(), a[1].GetString()!, a[2].GetString()!, a[3].GetRawText(), a[4].GetInt16(), a[5].GetInt32(),
                a[6].GetInt32(), Time(a[7]), Time(a[8]), Time(a[9]),
                a[10].ValueKind == JsonValueKind.Array ? [.. a[10].EnumerateArray().Select(t => t.GetString()!)] : [],
                NullableString(a[11]), a[12].ValueKind == JsonValueKind.Null ? null : a[12].GetInt32(), NullableString(a[13]),
                UniqueKey: null);
            return (job, a[14].GetInt64());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new FormatException("The hand-off payload is not a job: " + e.Message, e);
        }
    }

    private static DateTimeOffset Time(JsonElement e) =>
        DateTimeOffset.Parse(e.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static string? NullableString(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetString();
}
