using MimeKit;

namespace JobPlatform.Jobs.Tests.Email;

/// <summary>A message as the test SMTP server stored it, parsed by MimeKit.</summary>
internal sealed record ReceivedEmail(MimeMessage Message)
{
    /// <summary>The first value of header <paramref name="name"/> (decoded), or null.</summary>
    public string? Header(string name) => Message.Headers[name];

    public bool HasHeader(string name) => Message.Headers.Contains(name);

    /// <summary>The envelope recipients the server accepted (its <c>X-RcptTo</c> header), sorted.</summary>
    public IReadOnlyList<string> RcptTo => (Header("X-RcptTo") ?? string.Empty).Split(", ", StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();

    /// <summary>The text/plain body.</summary>
    public string Text => Message.TextBody ?? throw new InvalidOperationException($"No text/plain body; structure: {Structure}");

    /// <summary>The text/html body.</summary>
    public string Html => Message.HtmlBody ?? throw new InvalidOperationException($"No text/html body; structure: {Structure}");

    /// <summary>The MIME tree, e.g. <c>multipart/mixed(multipart/alternative(text/plain,text/html),application/pdf)</c>.</summary>
    public string Structure => Message.Body is { } body ? Describe(body) : "(no body)";

    /// <summary>The decoded bytes of attachment <paramref name="part"/>.</summary>
    public static byte[] Bytes(MimePart part)
    {
        using var content = new MemoryStream();
        (part.Content ?? throw new InvalidOperationException($"Part {part.ContentType.MimeType} has no content.")).DecodeTo(content);
        return content.ToArray();
    }

    private static string Describe(MimeEntity entity) => entity is Multipart multipart
        ? $"{multipart.ContentType.MimeType}({string.Join(",", multipart.Select(Describe))})"
        : entity.ContentType.MimeType;
}
