using System.Text.RegularExpressions;
using JobPlatform.Core.Sql;
using JobPlatform.Core.Storage;
using JobPlatform.TestSupport;

namespace JobPlatform.Core.Tests;

/// <summary>
/// The catalog's placeholders: <c>@name</c> parameters numbered once at load (and everything that merely contains an
/// <c>@</c> left alone), <c>{{job_columns}}</c> expanded from the one C# definition, binding by name that fails
/// naming the statement and the parameter, every embedded statement run from exactly one typed method, and no
/// statement run outside the storage layer.
/// </summary>
public sealed partial class SqlCatalogTests
{
    /// <summary>The identifier placeholders a statement may leave to its store, by statement.</summary>
    private static readonly Dictionary<string, string[]> Splices = new()
    {
        ["copy_jobs"] = ["columns"],
        ["listener_listen"] = ["insert_channel", "cancel_channel"],
        ["listener_listen_hand_off"] = ["hand_off_channel"],
        ["migration_history_create"] = ["history_table"],
        ["migration_history_read"] = ["history_table"],
        ["migration_history_record"] = ["history_table"],
    };

    [Fact]
    public void Names_become_positions_in_order_of_first_use_and_a_repeated_name_keeps_its_number()
    {
        var (text, names, positional) = NamedParameters.Rewrite("t", "SELECT @b, @a::text, coalesce(@b, @a_2) FROM t WHERE x = ANY(@a)");
        Assert.Equal("SELECT $1, $2::text, coalesce($1, $3) FROM t WHERE x = ANY($2)", text);
        Assert.Equal(new[] { "b", "a", "a_2" }, names);
        Assert.False(positional);
    }

    [Theory]
    [InlineData("SELECT tags @> ARRAY[@x::text]", "SELECT tags @> ARRAY[$1::text]")]
    [InlineData("SELECT ARRAY[@x] <@ tags", "SELECT ARRAY[$1] <@ tags")]
    [InlineData("SELECT ARRAY[@x]<@tags", "SELECT ARRAY[$1]<@tags")]
    [InlineData("SELECT doc @@ to_tsquery(@x)", "SELECT doc @@ to_tsquery($1)")]
    [InlineData("SELECT doc @@to_tsquery(@x)", "SELECT doc @@to_tsquery($1)")]
    [InlineData("SELECT @ -5, @x", "SELECT @ -5, $1")]
    [InlineData("SELECT '@no', 'it''s @no', @x", "SELECT '@no', 'it''s @no', $1")]
    [InlineData("SELECT E'a\\'@no', @x", "SELECT E'a\\'@no', $1")]
    [InlineData("SELECT \"@no\", @x", "SELECT \"@no\", $1")]
    [InlineData("SELECT @x -- and @no here\n, 1", "SELECT $1 -- and @no here\n, 1")]
    [InlineData("SELECT /* @no /* nested @no */ still @no */ @x", "SELECT /* @no /* nested @no */ still @no */ $1")]
    [InlineData("SELECT $$ @no $$, $body$ @no $x$ @no $body$, @x", "SELECT $$ @no $$, $body$ @no $x$ @no $body$, $1")]
    [InlineData("SELECT a$b, @x", "SELECT a$b, $1")]
    [InlineData("SELECT jsonb_path_exists(j, '$.a ? (@ > 1)'), @x", "SELECT jsonb_path_exists(j, '$.a ? (@ > 1)'), $1")]
    public void Only_placeholders_outside_literals_comments_bodies_and_operators_are_parameters(string sql, string expected)
    {
        var (text, names, _) = NamedParameters.Rewrite("t", sql);
        Assert.Equal(expected, text);
        Assert.Equal(new[] { "x" }, names);
    }

    [Fact]
    public void A_statement_written_with_positions_is_left_as_it_is()
    {
        const string sql = "SELECT $1, tags @> $2, '@x' FROM t";
        var (text, names, positional) = NamedParameters.Rewrite("t", sql);
        Assert.Same(sql, text);
        Assert.Empty(names);
        Assert.True(positional);
    }

    [Theory]
    [InlineData("SELECT $1, @x", "mixes positional ($1) and named (@x)")]
    [InlineData("SELECT id FROM t WHERE id=@id", "write a space before @id")]
    [InlineData("SELECT 'open, @x", "unterminated 'quoted' text")]
    [InlineData("SELECT /* open @x", "unterminated /* comment")]
    [InlineData("SELECT $body$ open @x", "unterminated dollar-quoted body ($body$)")]
    public void Placeholders_that_cannot_be_read_fail_at_load_naming_the_statement(string sql, string message)
    {
        var e = Assert.Throws<InvalidOperationException>(() => NamedParameters.Rewrite("broken_statement", sql));
        Assert.Contains("'broken_statement'", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void The_job_columns_placeholder_expands_to_the_one_job_row_with_or_without_a_table_alias()
    {
        var plain = SqlCatalog.Load("t", "SELECT {{job_columns}} FROM {{schema}}.jobs WHERE id = @id", "\"s\"");
        Assert.StartsWith("SELECT id, queue, kind, args::text AS args, state::text AS state, priority,", plain.Text);
        Assert.EndsWith(", cancel_requested_at FROM \"s\".jobs WHERE id = $1", plain.Text);
        Assert.Equal(JobRow.SelectList(null), Regex.Match(plain.Text, "^SELECT (.*) FROM").Groups[1].Value);

        var aliased = SqlCatalog.Load("t", "SELECT {{job_columns:j}} FROM {{schema}}.jobs j", "\"s\"");
        Assert.StartsWith("SELECT j.id, j.queue, j.kind, j.args::text AS args, j.state::text AS state,", aliased.Text);
        Assert.DoesNotContain("{{", aliased.Text);
        Assert.Empty(aliased.Parameters);
    }

    [Fact]
    public void Other_placeholders_must_be_spliced_before_the_statement_runs()
    {
        var statement = SqlCatalog.Load("history", "SELECT version FROM {{schema}}.{{history_table}} WHERE version > @v", "\"s\"");
        Assert.Equal(new[] { "history_table" }, statement.Splices);
        var unspliced = Assert.Throws<InvalidOperationException>(() => statement.With("v", 1).BatchCommand());
        Assert.Contains("'history' still has {{history_table}}", unspliced.Message);

        var spliced = statement.Splice("history_table", "jobs_migrations");
        Assert.Equal("SELECT version FROM \"s\".jobs_migrations WHERE version > $1", spliced.Text);
        Assert.Equal("SELECT version FROM \"s\".jobs_migrations WHERE version > $1", spliced.With("v", 1).BatchCommand().CommandText);

        Assert.Throws<InvalidOperationException>(() => SqlCatalog.Load("t", "SELECT {{schema:j}}.x", "\"s\""));
        Assert.Throws<InvalidOperationException>(() => SqlCatalog.Load("t", "SELECT {{table:j}}.x", "\"s\""));
    }

    [Fact]
    public void Binding_by_name_fails_naming_the_statement_and_the_parameter()
    {
        var statement = SqlCatalog.Load("pair", "SELECT @first, @second", "\"s\"");
        var unknown = Assert.Throws<InvalidOperationException>(() => statement.With("frist", 1));
        Assert.Equal("Statement 'pair' has no parameter @frist; its parameters are @first, @second.", unknown.Message);

        var missing = Assert.Throws<InvalidOperationException>(() => statement.With("first", 1).BatchCommand());
        Assert.Equal("Statement 'pair' was run without @second.", missing.Message);

        var twice = Assert.Throws<InvalidOperationException>(() => statement.With("first", 1).With("first", 2));
        Assert.Contains("'pair' got @first twice", twice.Message);

        var bound = statement.With("second", "b").With("first", 1).BatchCommand();
        Assert.Equal(new object[] { 1, "b" }, bound.Parameters.Select(p => p.Value));

        var legacy = Assert.Throws<InvalidOperationException>(() => SqlCatalog.Load("legacy", "SELECT $1", "\"s\""));
        Assert.Equal("Statement 'legacy' is written with $1, $2…: name its parameters (@name) instead.", legacy.Message);
    }

    [Fact]
    public async Task A_rewritten_statement_runs_with_its_operators_literals_and_bodies_intact()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        var statement = SqlCatalog.Load("probe", """
            -- @comment is no parameter
            SELECT ARRAY[1, 2] @> ARRAY[@one::int] AS contains, ARRAY[@one::int] <@ ARRAY[1] AS contained,
                   '@literal' AS literal, $$@body$$ AS body, @one::int + @two::int AS sum /* @block */
            """, "\"s\"");
        Assert.Equal(new[] { "one", "two" }, statement.Parameters);
        await using var cmd = statement.With("two", 2).With("one", 1).Command(db.DataSource);
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        Assert.True(r.GetBoolean(r.GetOrdinal("contains")));
        Assert.True(r.GetBoolean(r.GetOrdinal("contained")));
        Assert.Equal("@literal", r.GetString(r.GetOrdinal("literal")));
        Assert.Equal("@body", r.GetString(r.GetOrdinal("body")));
        Assert.Equal(3, r.GetInt32(r.GetOrdinal("sum")));
    }

    [Fact]
    public void Every_embedded_statement_loads_with_named_parameters_only()
    {
        // Loading refuses a statement written with $1, so every one that loads names its parameters.
        var catalog = SqlCatalog.For("catalog_check");
        Assert.NotEmpty(catalog.Statements);
        foreach (var statement in catalog.Statements)
        {
            Assert.DoesNotContain("{{schema}}", statement.Text);
            Assert.DoesNotContain("{{job_columns", statement.Text);
            Assert.DoesNotContain("{{leased_columns", statement.Text);
            Assert.Equal(Splices.GetValueOrDefault(statement.Name, []), statement.Splices);
            // Numbered 1..N without gaps, each name once.
            var numbers = PositionalParameter().Matches(StripQuoted(statement.Text)).Select(m => int.Parse(m.Groups[1].Value)).Distinct().Order();
            Assert.Equal(Enumerable.Range(1, statement.Parameters.Count), numbers);
            Assert.Equal(statement.Parameters.Count, statement.Parameters.Distinct().Count());
        }
    }

    [Fact]
    public void The_leased_columns_placeholder_expands_to_the_columns_lease_jobs_returns()
    {
        var statement = SqlCatalog.Load("t", "SELECT {{leased_columns:j}}, offers_left FROM x j", "\"s\"");
        Assert.Equal("SELECT j.id, j.queue, j.kind, j.args::text AS args, j.priority, j.attempt, j.max_attempts, j.scheduled_at, " +
            "j.created_at, j.attempted_at, j.tags, j.tenant_id, j.timeout_ms, j.trace_context, j.unique_key, offers_left FROM x j", statement.Text);
        var function = File.ReadAllText(ProductPaths.Source("src/Core/Sql/Functions/lease_jobs.sql"));
        var returns = Regex.Match(function, @"RETURNS TABLE \((?<columns>[^)]*)\)").Groups["columns"].Value;
        Assert.Equal(Regex.Matches(returns, @"(\w+) [a-z\[\]]+").Select(m => m.Groups[1].Value),
            Regex.Matches(LeasedJobRow.SelectList(null), @"(?:AS )?(\w+)(?:,|$)").Select(m => m.Groups[1].Value));
    }

    [Fact]
    public void Only_the_storage_layer_builds_or_runs_commands()
    {
        var runs = new Regex(@"NpgsqlCommand|NpgsqlBatch|NpgsqlParameter|NpgsqlDbType|CreateCommand|BeginBinaryImport|Execute(Reader|NonQuery|Scalar)");
        foreach (var file in Directory.GetFiles(ProductPaths.Source("src/Core"), "*.cs", SearchOption.AllDirectories))
        {
            var path = Path.GetRelativePath(ProductPaths.Source("src/Core"), file);
            if (path.StartsWith("Storage/", StringComparison.Ordinal) || path.StartsWith("Sql/", StringComparison.Ordinal)
                || path.StartsWith("bin/", StringComparison.Ordinal) || path.StartsWith("obj/", StringComparison.Ordinal))
            {
                continue;
            }

            Assert.False(runs.IsMatch(File.ReadAllText(file)), $"{path} builds or runs a command itself: give its statement a method in src/Core/Storage.");
        }
    }

    [Fact]
    public void No_statement_file_lists_the_job_row_itself()
    {
        var start = JobRow.SelectList(null)[..JobRow.SelectList(null).IndexOf(", priority", StringComparison.Ordinal)];
        foreach (var file in Directory.GetFiles(ProductPaths.Source("src/Core/Sql/Queries"), "*.sql"))
        {
            Assert.False(File.ReadAllText(file).Contains("args::text, state::text", StringComparison.Ordinal),
                $"{Path.GetFileName(file)} lists the job columns ({start}, …) itself: select {{{{job_columns}}}} instead.");
        }
    }

    [Fact]
    public void Every_named_statement_is_run_from_exactly_one_method_of_the_storage_layer()
    {
        var sources = Directory.GetFiles(ProductPaths.Source("src/Core"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
            .Select(f => (Path: Path.GetRelativePath(ProductPaths.Source("src/Core"), f), Text: File.ReadAllText(f)))
            .ToList();
        var catalog = SqlCatalog.For("catalog_check");
        foreach (var statement in catalog.Statements)
        {
            var bound = sources.SelectMany(s => Regex.Matches(s.Text, $@"Statement\(""{statement.Name}""\)").Select(_ => s.Path)).ToList();
            var where = Assert.Single(bound);
            Assert.StartsWith("Storage/", where);
        }

        var named = sources.SelectMany(s => Regex.Matches(s.Text, @"Statement\(""([a-z0-9_]+)""\)").Select(m => m.Groups[1].Value));
        Assert.All(named, name => Assert.Contains(catalog.Statements, s => s.Name == name));
    }

    private static string StripQuoted(string sql) => Regex.Replace(sql, @"'([^']|'')*'|--[^\n]*", "");

    [GeneratedRegex(@"\$(\d+)")]
    private static partial Regex PositionalParameter();
}
