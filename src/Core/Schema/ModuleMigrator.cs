using System.Reflection;
using System.Text.RegularExpressions;
using JobPlatform.Core.Sql;
using Npgsql;

namespace JobPlatform.Core.Schema;

/// <summary>
/// Applies the numbered migrations of a module that keeps its own tables beside the job tables, in the
/// platform schema (for example the job catalogue's billing tables), so its writes can share a transaction
/// with an enqueue. The module's history lives in <c>&lt;schema&gt;.&lt;module&gt;_migrations</c>; the same
/// advisory lock and single transaction as <see cref="JobPlatformMigrator"/> make concurrent starts safe.
/// Run it after the platform's own migrations.
/// </summary>
public sealed partial class ModuleMigrator
{
    private const string Placeholder = "{{schema}}";
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly string _historyTable;
    private readonly IReadOnlyList<Migration> _migrations;

    /// <summary>Creates a migrator for <paramref name="module"/>'s migrations in <paramref name="schema"/>.</summary>
    /// <param name="dataSource">The platform database.</param>
    /// <param name="schema">The platform schema (<c>JobPlatform:Schema</c>).</param>
    /// <param name="module">A short lower-case name (a-z, 0-9, _), e.g. <c>jobs</c>.</param>
    /// <param name="migrations">File names (<c>NNNN_description</c>, without <c>.sql</c>) and SQL texts, where
    /// <c>{{schema}}</c> stands for the quoted schema.</param>
    public ModuleMigrator(NpgsqlDataSource dataSource, string schema, string module, IEnumerable<KeyValuePair<string, string>> migrations)
    {
        _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
        _schema = SchemaName.Validate(schema);
        if (module is null || !ModuleName().IsMatch(module))
        {
            throw new ArgumentException($"Module name '{module}' must be 1-40 characters of a-z, 0-9 and '_', starting with a letter.", nameof(module));
        }

        ArgumentNullException.ThrowIfNull(migrations);
        var quoted = "\"" + _schema + "\"";
        _historyTable = module + "_migrations";
        _migrations = migrations
            .Select(m => Migration.Parse(m.Key, m.Value.Replace(Placeholder, quoted)))
            .OrderBy(m => m.Version)
            .ToList();
        var duplicate = _migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Module '{module}' has two migrations numbered {duplicate.Key}: {string.Join(", ", duplicate.Select(m => m.Name))}.", nameof(migrations));
        }
    }

    /// <summary>The highest migration version of the module (0 when it has none).</summary>
    public int LatestVersion => _migrations.Count == 0 ? 0 : _migrations[^1].Version;

    /// <summary>Reads every embedded resource of <paramref name="assembly"/> whose logical name starts with
    /// <paramref name="resourcePrefix"/> and ends in <c>.sql</c>, keyed by the file name without prefix and extension.</summary>
    public static IEnumerable<KeyValuePair<string, string>> FromResources(Assembly assembly, string resourcePrefix)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(resourcePrefix);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(resourcePrefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            yield return new(resource[resourcePrefix.Length..^".sql".Length], reader.ReadToEnd());
        }
    }

    /// <summary>Applies every pending migration of the module; returns the versions applied.</summary>
    /// <exception cref="InvalidOperationException">The database records a newer module migration than this build knows.</exception>
    public Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default) =>
        MigrationSteps.ApplyAsync(_dataSource, _schema, _historyTable, _migrations, LatestVersion, cancellationToken);

    /// <summary>The highest applied version of the module, or 0 when none is applied yet.</summary>
    public Task<int> GetCurrentVersionAsync(CancellationToken cancellationToken = default) =>
        MigrationSteps.CurrentVersionAsync(_dataSource, _schema, _historyTable, cancellationToken);

    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}\\z")]
    private static partial Regex ModuleName();
}
