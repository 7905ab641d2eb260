using Npgsql;

namespace JobPlatform.Core.Sql;

/// <summary>Reads of columns that may be null, for every reader of a statement's results.</summary>
internal static class ReaderExtensions
{
    public static T? GetNullable<T>(this NpgsqlDataReader reader, int ordinal) where T : struct =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);

    public static string? GetNullableString(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
