namespace JobPlatform.Jobs.Tests.Email;

/// <summary>A message as the test SMTP server stored it, parsed by Python's <c>email</c> module.</summary>
internal sealed record ReceivedEmail(List<List<string>> Headers, string Structure, List<ReceivedPart> Parts)
{
    /// <summary>The first value of header <paramref name="name"/> (decoded), or null.</summary>
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h[0], name, StringComparison.OrdinalIgnoreCase))?[1];

    public bool HasHeader(string name) => Header(name) is not null;

    public ReceivedPart Part(string contentType) =>
        Parts.FirstOrDefault(p => p.ContentType == contentType && !p.IsAttachment)
        ?? throw new InvalidOperationException($"No {contentType} body part; structure: {Structure}");
}
