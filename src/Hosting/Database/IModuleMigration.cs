using Npgsql;

namespace JobPlatform.Hosting;

/// <summary>Schema migrations of a module (for example the job catalogue's billing tables), applied by the
/// worker after the platform's own when <c>JobPlatform:Worker:MigrateOnStart</c> is true. Register as a singleton.</summary>
public interface IModuleMigration
{
    /// <summary>The module's name, for logs.</summary>
    string Module { get; }

    /// <summary>Applies the module's pending migrations in <paramref name="schema"/>; returns the versions applied.</summary>
    Task<IReadOnlyList<int>> MigrateAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken);
}
