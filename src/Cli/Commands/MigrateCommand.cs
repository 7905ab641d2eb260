using System.CommandLine;
using JobPlatform.Cli.Output;
using JobPlatform.Jobs.Schema;

namespace JobPlatform.Cli.Commands;

/// <summary><c>jobctl migrate</c>: creates or upgrades the schema's tables: the platform's, then the job catalogue's
/// (billing, shared rate limits), so that workers need make no schema change of their own.</summary>
internal sealed class MigrateCommand : CliCommand
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(2);
    private readonly Option<bool> _json = CommonOptions.Json("Print the schema, the versions applied and the current version as JSON");
    private readonly Option<bool> _check = new("--check")
    {
        Description = "Change nothing: exit 0 when the platform's and the catalogue's tables are at this build's versions, 1 otherwise (a pod's init step before it starts)",
    };
    private readonly Option<TimeSpan?> _wait = ValueOptions.Duration("--wait",
        "With --check: keep checking every 2s for up to this long, e.g. 5m, while the migration runs elsewhere [default: 0s]");

    public MigrateCommand(CliContext context, GlobalOptions global)
        : base("migrate", "Create or upgrade the job tables in the schema (safe to run concurrently and repeatedly)", context, global)
    {
        Options.Add(_json);
        Options.Add(_check);
        Options.Add(_wait);
        Validators.Add(result =>
        {
            if (result.GetValue(_wait) is not null && !result.GetValue(_check))
            {
                result.AddError("--wait goes with --check: migrate itself waits for the migration lock anyway.");
            }
        });
    }

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        await using var db = Connect(parse);
        if (parse.GetValue(_check))
        {
            return await CheckAsync(db, parse.GetValue(_wait) ?? TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        }

        var migrator = db.CreateMigrator();
        var applied = await migrator.MigrateAsync(cancellationToken).ConfigureAwait(false);
        var schema = db.Target.Schema;
        var catalogue = CatalogueSchema.CreateMigrator(db.DataSource, schema);
        var catalogueApplied = await catalogue.MigrateAsync(cancellationToken).ConfigureAwait(false);
        if (parse.GetValue(_json))
        {
            JsonOutput.Write(Context.Out, w =>
            {
                w.WriteStartObject();
                w.WriteString("schema", schema);
                w.WriteStartArray("applied");
                foreach (var version in applied)
                {
                    w.WriteNumberValue(version);
                }

                w.WriteEndArray();
                w.WriteNumber("version", migrator.LatestVersion);
                w.WriteStartObject("catalogue");
                w.WriteStartArray("applied");
                foreach (var version in catalogueApplied)
                {
                    w.WriteNumberValue(version);
                }

                w.WriteEndArray();
                w.WriteNumber("version", catalogue.LatestVersion);
                w.WriteEndObject();
                w.WriteEndObject();
            });
        }
        else
        {
            Context.Out.WriteLine(Outcome($"schema '{schema}'", applied, migrator.LatestVersion));
            Context.Out.WriteLine(Outcome("job catalogue", catalogueApplied, catalogue.LatestVersion));
        }

        return ExitCodes.Ok;
    }

    /// <summary>Compares both histories with this build's versions until they match or <paramref name="wait"/> is over.</summary>
    private async Task<int> CheckAsync(CliDatabase db, TimeSpan wait, CancellationToken cancellationToken)
    {
        var schema = db.Target.Schema;
        var platform = db.CreateMigrator();
        var catalogue = CatalogueSchema.CreateMigrator(db.DataSource, schema);
        var deadline = DateTimeOffset.UtcNow + wait;
        while (true)
        {
            var (platformAt, catalogueAt) = (await platform.GetCurrentVersionAsync(cancellationToken).ConfigureAwait(false),
                await catalogue.GetCurrentVersionAsync(cancellationToken).ConfigureAwait(false));
            if (platformAt >= platform.LatestVersion && catalogueAt >= catalogue.LatestVersion)
            {
                Context.Out.WriteLine($"schema '{schema}' is migrated (version {platformAt}, job catalogue {catalogueAt})");
                return ExitCodes.Ok;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                Context.Err.WriteLine(
                    $"jobctl: schema '{schema}' is at version {platformAt} (job catalogue {catalogueAt}); this build needs {platform.LatestVersion} " +
                    $"(job catalogue {catalogue.LatestVersion}): run 'jobctl migrate --schema {schema}' first");
                return ExitCodes.Failure;
            }

            await Task.Delay(CheckInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Outcome(string what, IReadOnlyList<int> applied, int latest) => applied.Count == 0
        ? $"{what} is up to date (version {latest})"
        : $"{what}: applied migration{(applied.Count == 1 ? "" : "s")} {string.Join(", ", applied)} (now at version {latest})";
}
