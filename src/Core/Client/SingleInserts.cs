using JobPlatform.Core.HandOff;
using JobPlatform.Core.Storage;
using Npgsql;

namespace JobPlatform.Core;

/// <summary>
/// Writes one group-committed batch of single enqueues (<see cref="GroupCommit"/>): a lone job that may go
/// straight to an idle worker's offered slot is handed off (<see cref="HandOffInsert"/>); everything else is
/// inserted in one statement, followed by one wake-up per queue with jobs due now.
/// </summary>
internal sealed class SingleInserts(NpgsqlDataSource dataSource, InsertStore inserts, HandOffStore handOffs, bool notify, bool handOff)
{
    /// <summary>Writes and commits the batch; throws when it was not written.</summary>
    public async Task WriteAsync(IReadOnlyList<PreparedJob> batch)
    {
        var wake = notify ? AvailableQueues(batch) : [];
        await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
        if (batch.Count == 1 && handOff && HandOffInsert.MayHandOff(batch[0])
            && await handOffs.InsertOfferedAsync(connection, batch[0], wake: wake.Length > 0).ConfigureAwait(false))
        {
            return;
        }

        await inserts.InsertGroupAsync(connection, batch, wake).ConfigureAwait(false);
    }

    /// <summary>The distinct queues of the batch's jobs that are due now: the ones to wake.</summary>
    private static string[] AvailableQueues(IReadOnlyList<PreparedJob> batch)
    {
        var queues = new List<string>(1);
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].State == JobState.Available && !queues.Contains(batch[i].Queue))
            {
                queues.Add(batch[i].Queue);
            }
        }

        return queues.ToArray();
    }
}
