using JobPlatform.Core.Sql;

namespace JobPlatform.Core;

public sealed partial class JobClient
{
    /// <summary>How recent a heartbeat must be for a worker to count as live in <see cref="GetStatsAsync"/>.</summary>
    internal static readonly TimeSpan LiveWorkerWindow = TimeSpan.FromSeconds(30);

    /// <summary>Lists jobs, newest first, filtered by kind, state and queue.</summary>
    public async Task<IReadOnlyList<Job>> ListAsync(JobListQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new JobListQuery();
        if (query.Limit is < 1 or > JobListQuery.MaxLimit)
        {
            throw new JobValidationException($"Limit {query.Limit} is out of range: use 1 to {JobListQuery.MaxLimit}.");
        }

        if (query.Queue is not null)
        {
            JobValidator.ValidateQueue(query.Queue);
        }

        await using var cmd = DbCommands.Create(_dataSource, _sql["list_jobs"],
            DbCommands.Typed(query.Kind, NpgsqlTypes.NpgsqlDbType.Text),
            DbCommands.Typed(query.State?.ToDb(), NpgsqlTypes.NpgsqlDbType.Text),
            DbCommands.Typed(query.Queue, NpgsqlTypes.NpgsqlDbType.Text),
            query.Limit);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var jobs = new List<Job>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            jobs.Add(JobReader.Read(reader));
        }

        return jobs;
    }

    /// <summary>Counts jobs per state and per queue, and live workers.</summary>
    public async Task<PlatformStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var states = JobStateNames.All.ToDictionary(s => s, _ => 0L);
        await using (var cmd = DbCommands.Create(connection, _sql["state_counts"]))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                states[JobStateNames.Parse(reader.GetString(0))] = reader.GetInt64(1);
            }
        }

        var queues = new List<QueueStats>();
        await using (var cmd = DbCommands.Create(connection, _sql["queue_stats"]))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                queues.Add(new QueueStats(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3),
                    Math.Round(reader.GetDouble(4), 3), reader.GetBoolean(5)));
            }
        }

        await using var workers = DbCommands.Create(connection, _sql["live_workers"], (long)LiveWorkerWindow.TotalMilliseconds);
        var live = Convert.ToInt32(await workers.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        return new PlatformStats(states, queues, live);
    }
}
