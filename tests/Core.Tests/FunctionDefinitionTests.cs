using JobPlatform.TestSupport;

namespace JobPlatform.Core.Tests;

/// <summary>
/// src/Core/Sql/Functions holds the current definition of every SQL function, readable in one place; the
/// migrations that deploy them are history. This keeps the two the same.
/// </summary>
public sealed class FunctionDefinitionTests
{
    private const string Prefix = "JobPlatform.Sql.Functions/";

    [Fact]
    public async Task Every_function_the_migrations_deploy_is_defined_in_Sql_Functions_exactly_as_deployed()
    {
        await using var deployed = await TestDatabase.CreateAsync();
        await using var fromFiles = await TestDatabase.CreateAsync();
        var files = typeof(JobClient).Assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order().ToList();
        foreach (var file in files)
        {
            await using var stream = typeof(JobClient).Assembly.GetManifestResourceStream(file)!;
            var text = await new StreamReader(stream).ReadToEndAsync();
            await fromFiles.ExecuteAsync(text.Replace("{{schema}}", "{schema}"));
        }

        var expected = await DefinitionsAsync(deployed);
        var actual = await DefinitionsAsync(fromFiles);

        Assert.Equal(expected.Keys.Order(), files.Select(f => f[Prefix.Length..^".sql".Length]).Order());
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.All(expected, e => Assert.Equal(e.Value, actual[e.Key]));
    }

    /// <summary>Each function of the schema, as PostgreSQL prints it, with the schema's name taken out.</summary>
    private static async Task<Dictionary<string, string>> DefinitionsAsync(TestDatabase db)
    {
        var definitions = new Dictionary<string, string>();
        await using var cmd = db.DataSource.CreateCommand(
            "SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p WHERE p.pronamespace = $1::regnamespace ORDER BY p.oid");
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = $"\"{db.Schema}\"" });
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var name = reader.GetString(0);
            Assert.False(definitions.ContainsKey(name), $"{name} has more than one signature");
            definitions[name] = reader.GetString(1).Replace($"\"{db.Schema}\"", "{schema}").Replace(db.Schema + ".", "{schema}.");
        }

        return definitions;
    }
}
