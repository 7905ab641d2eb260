using JobPlatform.Core;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace JobPlatform.TestWorker;

/// <summary>Args of <c>test.record</c>: a job that records its run.</summary>
public sealed record RecordArgs(int Value, int SleepMs = 0) : IJobArgs
{
    public static string Kind => "test.record";
}

/// <summary>
/// Writes a row to <c>test_runs</c> (which the test creates in its schema) when a run starts and stamps it when
/// the run ends, so a test can check that no job ever ran twice at once and that each ran. Its own writes are
/// retried through database outages (fault tests restart PostgreSQL), so that a run's row tells when it ended.
/// </summary>
public sealed class RecordHandler(NpgsqlDataSource dataSource, IConfiguration configuration) : IJobHandler<RecordArgs>
{
    private readonly string _table = $"\"{configuration["JobPlatform:Schema"]}\".test_runs";

    public async Task HandleAsync(RecordArgs args, JobContext context, CancellationToken cancellationToken)
    {
        var run = await RetriedAsync(async () =>
        {
            await using var start = dataSource.CreateCommand($"INSERT INTO {_table} (job_id, attempt, worker) VALUES ($1, $2, $3) RETURNING id");
            start.Parameters.Add(new() { Value = context.Id });
            start.Parameters.Add(new() { Value = context.Attempt });
            start.Parameters.Add(new() { Value = context.WorkerId });
            return (long)(await start.ExecuteScalarAsync(cancellationToken))!;
        }, cancellationToken);

        if (args.SleepMs > 0)
        {
            await Task.Delay(args.SleepMs, cancellationToken);
        }

        await RetriedAsync(async () =>
        {
            await using var end = dataSource.CreateCommand($"UPDATE {_table} SET finished_at = clock_timestamp() WHERE id = $1");
            end.Parameters.Add(new() { Value = run });
            return await end.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
    }

    private static async Task<T> RetriedAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await write();
            }
            catch (NpgsqlException) when (attempt < 150)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
    }
}
