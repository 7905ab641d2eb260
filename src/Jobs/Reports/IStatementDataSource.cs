namespace JobPlatform.Jobs.Reports;

/// <summary>Where the invoice statement's data comes from. The worker registers a PostgreSQL implementation over the
/// billing tables; replace the registration to read billing data from elsewhere.</summary>
public interface IStatementDataSource
{
    /// <summary>The statement of <paramref name="customerId"/> for <paramref name="period"/> (<c>YYYY-MM</c>), or null
    /// when no such customer exists.</summary>
    Task<StatementData?> GetStatementAsync(string customerId, string period, CancellationToken cancellationToken);
}
