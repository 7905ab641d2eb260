using System.Text.Json.Serialization;

namespace JobPlatform.Jobs;

/// <summary>A file attached to an <see cref="EmailSendArgs"/> message, read from the blob store at send time.</summary>
/// <param name="Blob">The blob key, e.g. <c>reports/2026-11/statement-42.pdf</c>.</param>
/// <param name="FileName">The name the recipient sees; the key's last segment when unset.</param>
/// <param name="ContentType">The MIME type; guessed from the file name when unset.</param>
public sealed record EmailAttachment(
    [property: JsonPropertyName("blob")] string Blob,
    [property: JsonPropertyName("fileName")] string? FileName = null,
    [property: JsonPropertyName("contentType")] string? ContentType = null);
