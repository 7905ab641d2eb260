using Npgsql;
using NpgsqlTypes;

namespace JobPlatform.Core.Sql;

/// <summary>
/// The values for one run of a <see cref="SqlStatement"/>, bound by parameter name. Making the command checks that
/// every parameter has a value, so a missing or misspelt name fails before anything is sent, naming the statement.
/// </summary>
internal sealed class SqlBinding
{
    private readonly SqlStatement _statement;
    private readonly NpgsqlParameter?[] _values;

    public SqlBinding(SqlStatement statement)
    {
        _statement = statement;
        _values = new NpgsqlParameter?[statement.Parameters.Count];
    }

    /// <summary>Binds <paramref name="name"/>; its PostgreSQL type follows from <typeparamref name="T"/>.</summary>
    public SqlBinding With<T>(string name, T value) => Set(name, new NpgsqlParameter<T> { TypedValue = value });

    /// <summary>Binds <paramref name="name"/> as <paramref name="type"/>, for values that may be null.</summary>
    public SqlBinding With<T>(string name, T value, NpgsqlDbType type) =>
        Set(name, new NpgsqlParameter<T> { TypedValue = value, NpgsqlDbType = type });

    /// <summary>A command on the data source (a pooled connection for the one run).</summary>
    public NpgsqlCommand Command(NpgsqlDataSource dataSource)
    {
        var command = dataSource.CreateCommand(CheckedText());
        AddTo(command.Parameters);
        return command;
    }

    /// <summary>A command on a connection (and transaction) the caller holds.</summary>
    public NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction = null)
    {
        var command = new NpgsqlCommand(CheckedText(), connection, transaction);
        AddTo(command.Parameters);
        return command;
    }

    /// <summary>One statement of an <see cref="NpgsqlBatch"/>.</summary>
    public NpgsqlBatchCommand BatchCommand()
    {
        var command = new NpgsqlBatchCommand(CheckedText());
        AddTo(command.Parameters);
        return command;
    }

    /// <summary>Starts a binary <c>COPY … FROM STDIN</c> (a statement without parameters) on <paramref name="connection"/>.</summary>
    public Task<NpgsqlBinaryImporter> BeginBinaryImportAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var text = CheckedText();
        if (_values.Length > 0)
        {
            throw new InvalidOperationException($"Statement '{_statement.Name}' has parameters, which COPY cannot take.");
        }

        // Npgsql takes a COPY command only when its text starts with COPY: the header comment stays behind.
        return connection.BeginBinaryImportAsync(WithoutLeadingComments(text), ct);
    }

    private static string WithoutLeadingComments(string text)
    {
        var start = 0;
        while (text.AsSpan(start).TrimStart().StartsWith("--"))
        {
            var newline = text.IndexOf('\n', start);
            start = newline < 0 ? text.Length : newline + 1;
        }

        return text[start..];
    }

    private SqlBinding Set(string name, NpgsqlParameter parameter)
    {
        var index = _statement.OrdinalOf(name);
        if (_values[index] is not null)
        {
            throw new InvalidOperationException($"Statement '{_statement.Name}' got @{name} twice.");
        }

        _values[index] = parameter;
        return this;
    }

    private string CheckedText()
    {
        if (_statement.Splices.Count > 0)
        {
            throw new InvalidOperationException(
                $"Statement '{_statement.Name}' still has {string.Join(", ", _statement.Splices.Select(s => "{{" + s + "}}"))}: splice it first.");
        }

        return _statement.Text;
    }

    private void AddTo(NpgsqlParameterCollection parameters)
    {
        foreach (var value in _values)
        {
            parameters.Add(value ?? throw Missing());
        }
    }

    private InvalidOperationException Missing() => new(
        $"Statement '{_statement.Name}' was run without {SqlStatement.Describe(_statement.Parameters.Where((_, i) => _values[i] is null))}.");
}
