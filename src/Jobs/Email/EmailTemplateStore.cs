using System.Text.RegularExpressions;

namespace JobPlatform.Jobs.Email;

/// <summary>
/// Finds templates by name: the built-in ones (embedded resources <c>Email/Templates/&lt;name&gt;.subject.txt</c>,
/// <c>.text.txt</c>, <c>.html</c>), each part overridden by a file of the same name in <c>Email:TemplatesPath</c>,
/// where new templates can also be added. The directory is read at each lookup, so edits apply without a restart.
/// </summary>
internal sealed partial class EmailTemplateStore
{
    private const string ResourcePrefix = "JobPlatform.Jobs.Email.Templates.";
    private const string SubjectSuffix = ".subject.txt";
    private const string TextSuffix = ".text.txt";
    private const string HtmlSuffix = ".html";

    private static readonly Lazy<IReadOnlyDictionary<string, string>> BuiltInFiles = new(ReadBuiltIns);
    private readonly string? _directory;

    /// <summary>Built-in templates, overridden by <paramref name="directory"/> when set.</summary>
    public EmailTemplateStore(string? directory)
    {
        _directory = string.IsNullOrEmpty(directory) ? null : Path.GetFullPath(directory);
    }

    /// <summary>The template <paramref name="name"/>, or null when neither the build nor the directory has it.</summary>
    /// <exception cref="ArgumentException">The name is not 1-64 characters of a-z, 0-9, '-' and '_'.</exception>
    public EmailTemplate? Find(string name)
    {
        if (!ValidName().IsMatch(name))
        {
            throw new ArgumentException($"Template name '{name}' is not valid; names are 1-64 characters of a-z, 0-9, '-' and '_', such as '{EmailTemplates.Receipt}'.", nameof(name));
        }

        var subject = Part(name + SubjectSuffix);
        var text = Part(name + TextSuffix);
        var html = Part(name + HtmlSuffix);
        return subject is null && text is null && html is null ? null : new EmailTemplate(name, subject?.TrimEnd('\r', '\n'), text, html);
    }

    /// <summary>Every template name known now (built-in and directory).</summary>
    public IReadOnlyList<string> Names()
    {
        var files = BuiltInFiles.Value.Keys.AsEnumerable();
        if (_directory is not null && Directory.Exists(_directory))
        {
            files = files.Concat(Directory.EnumerateFiles(_directory).Select(f => Path.GetFileName(f)));
        }

        return files
            .Select(f => f.EndsWith(SubjectSuffix, StringComparison.Ordinal) ? f[..^SubjectSuffix.Length]
                : f.EndsWith(TextSuffix, StringComparison.Ordinal) ? f[..^TextSuffix.Length]
                : f.EndsWith(HtmlSuffix, StringComparison.Ordinal) ? f[..^HtmlSuffix.Length]
                : null)
            .Where(n => n is not null && ValidName().IsMatch(n))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList()!;
    }

    private string? Part(string fileName)
    {
        if (_directory is not null)
        {
            var path = Path.Combine(_directory, fileName);
            if (File.Exists(path))
            {
                return File.ReadAllText(path);
            }
        }

        return BuiltInFiles.Value.GetValueOrDefault(fileName);
    }

    private static IReadOnlyDictionary<string, string> ReadBuiltIns()
    {
        var assembly = typeof(EmailTemplateStore).Assembly;
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            files[resource[ResourcePrefix.Length..]] = reader.ReadToEnd();
        }

        return files;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex ValidName();
}
