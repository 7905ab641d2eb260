using System.Text;

namespace JobPlatform.Core.Sql;

/// <summary>
/// Rewrites a statement's <c>@name</c> placeholders to PostgreSQL's <c>$1, $2…</c>, once when the catalog loads,
/// so that a run sends the statement as PostgreSQL takes it and binding by name costs a lookup in a short list.
/// </summary>
/// <remarks>
/// <c>@</c> starts a parameter when a letter or <c>_</c> follows it and neither an identifier character nor an
/// operator character precedes it; the name runs over letters, digits and <c>_</c>. Text inside string literals
/// (<c>'…'</c>, <c>E'…'</c>), quoted identifiers, comments and dollar-quoted bodies is copied unchanged, and so
/// are the operators <c>@&gt;</c>, <c>&lt;@</c> and <c>@@</c>. A parameter directly after another operator
/// character (<c>=@id</c>) is refused as ambiguous: put a space before the <c>@</c>. A statement uses names or
/// positions, not both.
/// </remarks>
internal static class NamedParameters
{
    private const string OperatorCharacters = "+-*/<>=~!@#%^&|`?";

    /// <summary>The statement with <c>$N</c> for each <c>@name</c> (numbered by first appearance), the names in that
    /// order, and whether it is written with positions instead (then it comes back unchanged, with no names).</summary>
    /// <exception cref="InvalidOperationException">The text is unterminated, ambiguous or mixes names and positions;
    /// the message names <paramref name="statement"/>.</exception>
    public static (string Text, IReadOnlyList<string> Names, bool Positional) Rewrite(string statement, string sql)
    {
        var text = new StringBuilder(sql.Length);
        var names = new List<string>();
        var positional = false;
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            var next = i + 1 < sql.Length ? sql[i + 1] : '\0';
            var previous = i > 0 ? sql[i - 1] : '\0';
            int end;
            if (c == '-' && next == '-')
            {
                end = sql.IndexOf('\n', i);
                end = end < 0 ? sql.Length : end + 1;
            }
            else if (c == '/' && next == '*')
            {
                end = BlockCommentEnd(statement, sql, i);
            }
            else if (c == '\'')
            {
                end = QuotedEnd(statement, sql, i, '\'', backslashEscapes: (previous is 'E' or 'e') && !IsIdentifierPart(At(sql, i - 2)));
            }
            else if (c == '"')
            {
                end = QuotedEnd(statement, sql, i, '"', backslashEscapes: false);
            }
            else if (c == '$' && !IsIdentifierPart(previous) && char.IsAsciiDigit(next))
            {
                positional = true;
                end = i + 1;
            }
            else if (c == '$' && !IsIdentifierPart(previous) && DollarTag(sql, i) is { } tag)
            {
                var close = sql.IndexOf(tag, i + tag.Length, StringComparison.Ordinal);
                if (close < 0)
                {
                    throw new InvalidOperationException($"Statement '{statement}' has an unterminated dollar-quoted body ({tag}).");
                }

                end = close + tag.Length;
            }
            else if (c == '@' && IsIdentifierStart(next) && !IsIdentifierPart(previous) && previous is not ('<' or '@'))
            {
                if (OperatorCharacters.Contains(previous, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException(
                        $"Statement '{statement}' has '{previous}@' before a name: write a space before @{NameAt(sql, i + 1)} if it is a parameter.");
                }

                var name = NameAt(sql, i + 1);
                var index = names.IndexOf(name);
                if (index < 0)
                {
                    names.Add(name);
                    index = names.Count - 1;
                }

                text.Append('$').Append(index + 1);
                i += 1 + name.Length;
                continue;
            }
            else
            {
                end = i + 1;
            }

            text.Append(sql, i, end - i);
            i = end;
        }

        if (positional && names.Count > 0)
        {
            throw new InvalidOperationException(
                $"Statement '{statement}' mixes positional ($1) and named (@{names[0]}) parameters: use names only.");
        }

        return names.Count == 0 ? (sql, [], positional) : (text.ToString(), names, false);
    }

    private static int BlockCommentEnd(string statement, string sql, int start)
    {
        // PostgreSQL's block comments nest.
        var depth = 0;
        for (var i = start; i < sql.Length - 1; i++)
        {
            if (sql[i] == '/' && sql[i + 1] == '*')
            {
                depth++;
                i++;
            }
            else if (sql[i] == '*' && sql[i + 1] == '/')
            {
                i++;
                if (--depth == 0)
                {
                    return i + 1;
                }
            }
        }

        throw new InvalidOperationException($"Statement '{statement}' has an unterminated /* comment.");
    }

    private static int QuotedEnd(string statement, string sql, int start, char quote, bool backslashEscapes)
    {
        for (var i = start + 1; i < sql.Length; i++)
        {
            if (backslashEscapes && sql[i] == '\\')
            {
                i++;
            }
            else if (sql[i] == quote)
            {
                if (i + 1 < sql.Length && sql[i + 1] == quote)
                {
                    i++;
                }
                else
                {
                    return i + 1;
                }
            }
        }

        throw new InvalidOperationException($"Statement '{statement}' has an unterminated {quote}quoted{quote} text.");
    }

    /// <summary>The opening tag (<c>$$</c> or <c>$tag$</c>) of a dollar-quoted body at <paramref name="start"/>, if one is there.</summary>
    private static string? DollarTag(string sql, int start)
    {
        var i = start + 1;
        if (i < sql.Length && IsIdentifierStart(sql[i]))
        {
            while (i < sql.Length && IsIdentifierPart(sql[i]) && sql[i] != '$')
            {
                i++;
            }
        }

        return i < sql.Length && sql[i] == '$' ? sql[start..(i + 1)] : null;
    }

    private static string NameAt(string sql, int start)
    {
        var end = start;
        while (end < sql.Length && IsIdentifierPart(sql[end]) && sql[end] != '$')
        {
            end++;
        }

        return sql[start..end];
    }

    private static char At(string sql, int i) => i >= 0 && i < sql.Length ? sql[i] : '\0';

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_';

    // PostgreSQL identifiers may contain '$' after their first character (a$1 is one identifier).
    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '$';
}
