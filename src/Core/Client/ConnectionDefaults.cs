using Npgsql;

namespace JobPlatform.Core;

/// <summary>
/// Connection settings the platform is built and measured for. Apply them to the connection string of the data source
/// you give <see cref="JobClient"/> and <see cref="JobEngine"/>; settings already in the string are kept.
/// </summary>
public static class ConnectionDefaults
{
    /// <summary>Statements kept prepared per connection unless the connection string sets <c>Max Auto Prepare</c>.</summary>
    public const int MaxAutoPrepare = 20;

    /// <summary>
    /// Turns on Npgsql's automatic preparation (unless the connection string sets <c>Max Auto Prepare</c>, for
    /// example to 0 behind a PgBouncer without prepared-statement support): the platform runs a handful of
    /// statements over and over, and parsing and planning them on every call would dominate a single enqueue
    /// (docs/performance.md).
    /// </summary>
    public static NpgsqlConnectionStringBuilder Apply(NpgsqlConnectionStringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Keys lists the keywords the string sets; ContainsKey is true for every keyword Npgsql knows.
        if (!builder.Keys.Cast<string>().Any(k => string.Equals(k, "Max Auto Prepare", StringComparison.OrdinalIgnoreCase)))
        {
            builder.MaxAutoPrepare = MaxAutoPrepare;
        }

        return builder;
    }
}
