using JobPlatform.Core;
using Npgsql;

namespace JobPlatform.Jobs.Reports;

/// <summary>The <c>operations</c> report: what the job tables say about a time range (see <see cref="OperationsReportData"/>).</summary>
internal sealed class OperationsReport(NpgsqlDataSource dataSource, JobClient client, ReportHtmlRenderer renderer, TimeProvider time) : IReport
{
    /// <summary>Longest range one report may cover: the per-minute statistics are pruned after 14 days anyway.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(31);

    /// <summary>Default range when the args give no start.</summary>
    public static readonly TimeSpan DefaultRange = TimeSpan.FromDays(1);

    /// <summary>Most failure groups listed.</summary>
    public const int MaxFailureGroups = 15;

    public string Name => ReportNames.Operations;

    public async Task<RenderedReport> RenderAsync(ReportGenerateArgs args, DateTimeOffset enqueuedAt, CancellationToken cancellationToken)
    {
        var to = args.To ?? enqueuedAt;
        var from = args.From ?? to - DefaultRange;
        if (from >= to)
        {
            throw new DiscardJobException($"report.generate 'operations': from ({from:O}) must be before to ({to:O}).");
        }

        if (to - from > MaxRange)
        {
            throw new DiscardJobException(
                $"report.generate 'operations': the range {from:O} to {to:O} is {(to - from).TotalDays:0.#} days; the limit is {MaxRange.TotalDays:0} days. Split it into several reports.");
        }

        var data = await ReadAsync(from, to, args.Title ?? "Operations report", cancellationToken).ConfigureAwait(false);
        var html = await renderer.RenderAsync<OperationsReportPage>(new Dictionary<string, object?> { [nameof(OperationsReportPage.Data)] = data })
            .ConfigureAwait(false);
        return new RenderedReport(data.Title, html);
    }

    internal async Task<OperationsReportData> ReadAsync(DateTimeOffset from, DateTimeOffset to, string title, CancellationToken cancellationToken)
    {
        var schema = client.Options.Schema;
        var outcomes = new List<QueueKindOutcomes>();
        var latency = new List<QueueKindLatency>();
        var failures = new List<FailureGroup>();
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        {
            await using (var cmd = Command(connection, ReportSql.Get(ReportSql.OperationsOutcomes, schema), from, to))
            await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    outcomes.Add(new QueueKindOutcomes(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3),
                        reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7)));
                }
            }

            await using (var cmd = Command(connection, ReportSql.Get(ReportSql.OperationsLatency, schema), from, to))
            await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    latency.Add(new QueueKindLatency(reader.GetString(0), reader.GetString(1), reader.GetInt64(2),
                        reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5), reader.GetDouble(6)));
                }
            }

            await using (var cmd = Command(connection, ReportSql.Get(ReportSql.OperationsFailures, schema), from, to))
            {
                cmd.Parameters.Add(new NpgsqlParameter { Value = MaxFailureGroups });
                await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    failures.Add(new FailureGroup(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
                        reader.GetFieldValue<DateTimeOffset>(4)));
                }
            }
        }

        var stats = await client.GetStatsAsync(cancellationToken).ConfigureAwait(false);
        var backlog = stats.Queues.Where(q => q.Available + q.Running + q.Waiting > 0 || q.Paused).ToList();
        return new OperationsReportData(title, from, to, time.GetUtcNow(), outcomes, latency, failures, backlog);
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, DateTimeOffset from, DateTimeOffset to)
    {
        var cmd = new NpgsqlCommand(sql, connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = from.ToUniversalTime() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = to.ToUniversalTime() });
        return cmd;
    }
}
