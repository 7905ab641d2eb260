using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace JobPlatform.Jobs.Reports;

/// <summary>The reports' SQL statements (embedded <c>Reports/Sql/*.sql</c>), with <c>{{schema}}</c> replaced by the
/// quoted platform schema; loaded once per statement and schema.</summary>
internal static partial class ReportSql
{
    public const string OperationsOutcomes = "operations_outcomes";
    public const string OperationsLatency = "operations_latency";
    public const string OperationsFailures = "operations_failures";
    public const string Statement = "statement";

    private static readonly ConcurrentDictionary<(string Name, string Schema), string> Cache = new();

    public static string Get(string name, string schema) => Cache.GetOrAdd((name, schema), static key =>
    {
        if (!SchemaPattern().IsMatch(key.Schema))
        {
            throw new ArgumentException($"Schema name '{key.Schema}' is not valid (JobPlatform:Schema).", nameof(schema));
        }

        var resource = $"JobPlatform.Jobs.Reports.Sql.{key.Name}.sql";
        using var stream = typeof(ReportSql).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded SQL '{resource}' is missing from {typeof(ReportSql).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("{{schema}}", "\"" + key.Schema + "\"", StringComparison.Ordinal);
    });

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,47}$")]
    private static partial Regex SchemaPattern();
}
