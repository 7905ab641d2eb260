using Npgsql;

namespace JobPlatform.Core.Storage;

/// <summary>
/// Runs a statement again when PostgreSQL reports a serialization failure. In READ COMMITTED that only happens when
/// a row the statement waited for was moved to another partition meanwhile (a job archived by its completion, or
/// moved back by a retry); the next run finds the row where it now is.
/// </summary>
internal static class MovedRow
{
    private const int Attempts = 5;

    public static async Task<T> RetryAsync<T>(Func<Task<T>> statement)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await statement().ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.SerializationFailure && attempt < Attempts)
            {
            }
        }
    }
}
