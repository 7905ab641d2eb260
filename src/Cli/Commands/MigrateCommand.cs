using System.CommandLine;
using JobPlatform.Cli.Output;
using JobPlatform.Jobs.Schema;

namespace JobPlatform.Cli.Commands;

/// <summary><c>jobctl migrate</c>: creates or upgrades the schema's tables: the platform's, then the job catalogue's
/// (billing, shared rate limits), so that workers need make no schema change of their own.</summary>
internal sealed class MigrateCommand : CliCommand
{
    private readonly Option<bool> _json = CommonOptions.Json("Print the schema, the versions applied and the current version as JSON");

    public MigrateCommand(CliContext context, GlobalOptions global)
        : base("migrate", "Create or upgrade the job tables in the schema (safe to run concurrently and repeatedly)", context, global)
    {
        Options.Add(_json);
    }

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        await using var db = Connect(parse);
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

    private static string Outcome(string what, IReadOnlyList<int> applied, int latest) => applied.Count == 0
        ? $"{what} is up to date (version {latest})"
        : $"{what}: applied migration{(applied.Count == 1 ? "" : "s")} {string.Join(", ", applied)} (now at version {latest})";
}
