using JobPlatform.Core.Execution;
using JobPlatform.Core.Sql;
using Npgsql;
using NpgsqlTypes;

namespace JobPlatform.Core.Storage;

/// <summary>
/// The completer's statement: a batch of attempt outcomes written in one statement, which also counts them in the
/// per-minute statistics (<c>complete_jobs</c>). It runs for every batch of outcomes, so the statement is looked up once.
/// </summary>
internal sealed class CompletionStore(NpgsqlDataSource dataSource, SqlCatalog sql, string workerId, bool asyncCommit)
{
    private readonly SqlStatement _complete = sql.Statement("complete_jobs");
    private readonly string? _synchronousCommit = asyncCommit ? "off" : null;

    /// <summary>Records <paramref name="batch"/>; an outcome applies only while its job still runs the same attempt on
    /// this worker (<c>complete_jobs</c>).</summary>
    public async Task CompleteAsync(List<JobOutcome> batch, CancellationToken ct)
    {
        var n = batch.Count;
        var ids = new Guid[n];
        var attempts = new int[n];
        var states = new string[n];
        var delays = new long?[n];
        var errors = new string?[n];
        var refunds = new int[n];
        for (var i = 0; i < n; i++)
        {
            var o = batch[i];
            (ids[i], attempts[i], states[i], delays[i], errors[i], refunds[i]) = (o.Id, o.Attempt, o.State.ToDb(), o.DelayMs, o.ErrorJson, o.Refund);
        }

        await using var cmd = _complete
            .With("ids", ids)
            .With("attempts", attempts)
            .With("states", states)
            .With("delays_ms", delays, NpgsqlDbType.Array | NpgsqlDbType.Bigint)
            .With("errors", errors, NpgsqlDbType.Array | NpgsqlDbType.Jsonb)
            .With("refunds", refunds)
            .With("worker", workerId)
            .With("synchronous_commit", _synchronousCommit, NpgsqlDbType.Text)
            .Command(dataSource);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
