using JobPlatform.Core;
using Npgsql;

namespace JobPlatform.Jobs.Reports;

/// <summary>Reads statements from the billing tables in the platform schema with the one statement in
/// <c>Reports/Sql/statement.sql</c>.</summary>
internal sealed class PostgresStatementDataSource(NpgsqlDataSource dataSource, JobClient client) : IStatementDataSource
{
    public async Task<StatementData?> GetStatementAsync(string customerId, string period, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(ReportSql.Get(ReportSql.Statement, client.Options.Schema));
        cmd.Parameters.Add(new NpgsqlParameter { Value = customerId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = period });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        string? name = null;
        string? email = null;
        var invoices = new List<StatementInvoice>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            name = reader.IsDBNull(0) ? "" : reader.GetString(0);
            email = reader.IsDBNull(1) ? null : reader.GetString(1);
            if (reader.IsDBNull(2))
            {
                continue; // the customer has no invoice in the period
            }

            invoices.Add(new StatementInvoice(
                reader.GetString(2),
                reader.GetString(3),
                reader.GetInt64(4),
                reader.GetString(5),
                reader.IsDBNull(6) ? "" : reader.GetString(6),
                reader.GetFieldValue<DateTimeOffset>(7),
                reader.GetInt64(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9)));
        }

        return name is null ? null : new StatementData(customerId, name, email, period, invoices);
    }
}
