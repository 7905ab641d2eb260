namespace JobPlatform.Jobs.Reports;

/// <summary>Names of the reports' SQL statements (embedded <c>Reports/Sql/*.sql</c>, read through <see cref="JobsSql"/>).</summary>
internal static class ReportSql
{
    public const string OperationsOutcomes = "operations_outcomes";
    public const string OperationsLatency = "operations_latency";
    public const string OperationsFailures = "operations_failures";
    public const string Statement = "statement";

    public static string Get(string name, string schema) => JobsSql.Get("Reports", name, schema);
}
