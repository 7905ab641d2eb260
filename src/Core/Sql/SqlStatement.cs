using Npgsql;

namespace JobPlatform.Core.Sql;

/// <summary>
/// One named statement of the catalog as PostgreSQL receives it: placeholders expanded and <c>@name</c>
/// parameters numbered when the catalog loaded, with the names in <c>$N</c> order for binding by name.
/// </summary>
internal sealed class SqlStatement
{
    private readonly string[] _parameters;

    public SqlStatement(string name, string text, IReadOnlyList<string> parameters, IReadOnlyList<string> splices)
    {
        Name = name;
        Text = text;
        _parameters = [.. parameters];
        Splices = splices;
    }

    /// <summary>The file name without <c>.sql</c>.</summary>
    public string Name { get; }

    /// <summary>The text sent, with <c>$N</c> placeholders.</summary>
    public string Text { get; }

    /// <summary>The parameter names, the first one is <c>$1</c>.</summary>
    public IReadOnlyList<string> Parameters => _parameters;

    /// <summary>Identifier placeholders (<c>{{name}}</c>) that <see cref="Splice"/> must fill before the statement runs.</summary>
    public IReadOnlyList<string> Splices { get; }

    /// <summary>Starts binding the parameters, beginning with <paramref name="name"/>.</summary>
    public SqlBinding With<T>(string name, T value) => new SqlBinding(this).With(name, value);

    /// <summary>Starts binding the parameters, beginning with <paramref name="name"/> sent as <paramref name="type"/>
    /// (needed when the value may be null).</summary>
    public SqlBinding With<T>(string name, T value, NpgsqlTypes.NpgsqlDbType type) => new SqlBinding(this).With(name, value, type);

    /// <summary>A command for a statement without parameters.</summary>
    public NpgsqlCommand Command(NpgsqlDataSource dataSource) => new SqlBinding(this).Command(dataSource);

    /// <summary>A command for a statement without parameters, on a connection (and transaction).</summary>
    public NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction = null) =>
        new SqlBinding(this).Command(connection, transaction);

    /// <summary>Starts a binary <c>COPY … FROM STDIN</c> of a statement without parameters on <paramref name="connection"/>.</summary>
    public Task<NpgsqlBinaryImporter> BeginBinaryImportAsync(NpgsqlConnection connection, CancellationToken ct) =>
        new SqlBinding(this).BeginBinaryImportAsync(connection, ct);

    /// <summary>The statement with the identifier placeholder <c>{{<paramref name="placeholder"/>}}</c> replaced by
    /// <paramref name="identifier"/>, which the caller has validated (it is spliced into the text).</summary>
    public SqlStatement Splice(string placeholder, string identifier)
    {
        if (!Splices.Contains(placeholder))
        {
            throw new InvalidOperationException($"Statement '{Name}' has no placeholder {{{{{placeholder}}}}} to fill.");
        }

        return new SqlStatement(Name, Text.Replace("{{" + placeholder + "}}", identifier, StringComparison.Ordinal), _parameters,
            Splices.Where(s => s != placeholder).ToList());
    }

    /// <summary>The position (0-based) of parameter <paramref name="name"/>.</summary>
    /// <exception cref="InvalidOperationException">The statement has no such parameter.</exception>
    public int OrdinalOf(string name)
    {
        var index = Array.IndexOf(_parameters, name);
        if (index >= 0)
        {
            return index;
        }

        throw new InvalidOperationException(_parameters.Length == 0
            ? $"Statement '{Name}' has no parameters, so @{name} cannot be bound."
            : $"Statement '{Name}' has no parameter @{name}; its parameters are {Describe(_parameters)}.");
    }

    internal static string Describe(IEnumerable<string> names) => string.Join(", ", names.Select(n => "@" + n));
}
