using Npgsql;

namespace JobPlatform.Cli.Bench;

/// <summary>
/// The benchmark's own schema. It is marked with a comment when created, and only a schema carrying the
/// mark is ever dropped, so a mistyped --bench-schema cannot destroy real queues.
/// </summary>
internal static class BenchSchema
{
    private const string Mark = "jobctl bench: scratch schema, dropped when the benchmark ends";

    /// <summary>Creates and migrates the schema, replacing a marked leftover of an earlier run.</summary>
    /// <exception cref="CliUsageException">An unmarked schema of that name exists.</exception>
    public static async Task CreateAsync(CliDatabase db, Action<string> status, CancellationToken ct)
    {
        var schema = db.Target.Schema;
        await using (var find = db.DataSource.CreateCommand("SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = $1"))
        {
            find.Parameters.Add(new NpgsqlParameter { Value = schema });
            await using var reader = await find.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                if (reader.IsDBNull(0) || reader.GetString(0) != Mark)
                {
                    throw new CliUsageException(
                        $"schema '{schema}' already exists and was not created by jobctl bench, which drops its schema at the end: " +
                        "pass an unused name with --bench-schema.");
                }

                status($"dropping schema '{schema}' left by an earlier run");
                await DropAsync(db, ct).ConfigureAwait(false);
            }
        }

        // The name was validated by Core's rules ([a-z_][a-z0-9_]*), so quoting it is safe.
        await ExecuteAsync(db, $"CREATE SCHEMA \"{schema}\"; COMMENT ON SCHEMA \"{schema}\" IS '{Mark}'", ct).ConfigureAwait(false);
        await db.CreateMigrator().MigrateAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="count"/> completed jobs, finished within the last hour (inside the default
    /// retention, so the pruner keeps them) and archived as the engine leaves them, and refreshes the statistics
    /// as autovacuum eventually would.</summary>
    public static async Task PrefillFinishedAsync(CliDatabase db, int count, CancellationToken ct)
    {
        var q = $"\"{db.Target.Schema}\"";
        await ExecuteAsync(db,
            $"INSERT INTO {q}.jobs (id, queue, kind, args, state, attempt, max_attempts, attempted_at, attempted_by, created_at, finalized_at, archived) " +
            "SELECT gen_random_uuid(), 'default', 'platform.noop', '{}', 'completed', 1, 25, t, 'bench-prefill', t, t, true " +
            $"FROM (SELECT now() - random() * interval '1 hour' AS t FROM generate_series(1, {count})) g", ct).ConfigureAwait(false);
        await ExecuteAsync(db, $"VACUUM ANALYZE {q}.jobs", ct).ConfigureAwait(false);
    }

    /// <summary>Deletes every job of <paramref name="queue"/> and vacuums the table, which leaves it as if they
    /// had never been written (no dead rows for the measured phases to step over).</summary>
    public static async Task DeleteQueueAsync(CliDatabase db, string queue, CancellationToken ct)
    {
        await using (var cmd = db.DataSource.CreateCommand($"DELETE FROM \"{db.Target.Schema}\".jobs WHERE queue = $1"))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = queue });
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await ExecuteAsync(db, $"VACUUM \"{db.Target.Schema}\".jobs", ct).ConfigureAwait(false);
    }

    /// <summary>Refreshes the job table's statistics.</summary>
    public static Task AnalyzeAsync(CliDatabase db, CancellationToken ct) =>
        ExecuteAsync(db, $"ANALYZE \"{db.Target.Schema}\".jobs", ct);

    public static Task DropAsync(CliDatabase db, CancellationToken ct) =>
        ExecuteAsync(db, $"DROP SCHEMA IF EXISTS \"{db.Target.Schema}\" CASCADE", ct);

    /// <summary>Whether any job is still waiting or running: an index-only probe, cheap enough to poll every 50 ms.</summary>
    public static async Task<bool> HasUnfinishedAsync(CliDatabase db, CancellationToken ct)
    {
        await using var cmd = db.DataSource.CreateCommand(
            $"SELECT EXISTS (SELECT 1 FROM \"{db.Target.Schema}\".jobs_live WHERE state IN ('available', 'running'))");
        return (bool)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    private static async Task ExecuteAsync(CliDatabase db, string sql, CancellationToken ct)
    {
        await using var cmd = db.DataSource.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
