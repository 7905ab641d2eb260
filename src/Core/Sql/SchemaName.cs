using System.Text.RegularExpressions;

namespace JobPlatform.Core.Sql;

/// <summary>Validates the configured schema name, which is spliced into SQL text and NOTIFY channel names.</summary>
internal static partial class SchemaName
{
    public const string Default = "jobplatform";

    public static string Validate(string? schema)
    {
        if (schema is null || !Pattern().IsMatch(schema))
        {
            throw new ArgumentException(
                $"Schema name '{schema}' is not valid: use 1-48 characters of a-z, 0-9 and _, starting with a letter or _ " +
                "(JobPlatform:Schema).", nameof(schema));
        }

        return schema;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,47}\\z")]
    private static partial Regex Pattern();
}
