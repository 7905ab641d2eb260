using System.Collections.Concurrent;
using JobPlatform.Core.Sql;

namespace JobPlatform.Jobs;

/// <summary>The catalogue's SQL statements (embedded <c>&lt;Area&gt;/Sql/&lt;name&gt;.sql</c>), with <c>{{schema}}</c>
/// replaced by the quoted platform schema; each loaded once per schema.</summary>
internal static class JobsSql
{
    private static readonly ConcurrentDictionary<(string Area, string Name, string Schema), string> Cache = new();

    /// <summary>The statement <paramref name="name"/> of <paramref name="area"/> (e.g. <c>Billing</c>, <c>lock_invoice</c>) for <paramref name="schema"/>.</summary>
    public static string Get(string area, string name, string schema) => Cache.GetOrAdd((area, name, schema), static key =>
    {
        SchemaName.Validate(key.Schema);
        var resource = $"JobPlatform.Jobs.{key.Area}.Sql.{key.Name}.sql";
        using var stream = typeof(JobsSql).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded SQL '{resource}' is missing from {typeof(JobsSql).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("{{schema}}", "\"" + key.Schema + "\"", StringComparison.Ordinal);
    });
}
