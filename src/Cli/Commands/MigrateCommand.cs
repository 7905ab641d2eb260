using System.CommandLine;
using JobPlatform.Cli.Output;

namespace JobPlatform.Cli.Commands;

/// <summary><c>jobctl migrate</c>: creates or upgrades the schema's tables.</summary>
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
                w.WriteEndObject();
            });
        }
        else if (applied.Count == 0)
        {
            Context.Out.WriteLine($"schema '{schema}' is up to date (version {migrator.LatestVersion})");
        }
        else
        {
            var versions = string.Join(", ", applied);
            Context.Out.WriteLine($"schema '{schema}': applied migration{(applied.Count == 1 ? "" : "s")} {versions} (now at version {migrator.LatestVersion})");
        }

        return ExitCodes.Ok;
    }
}
