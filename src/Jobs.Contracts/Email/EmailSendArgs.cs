using System.Text.Json.Serialization;
using JobPlatform.Core;

namespace JobPlatform.Jobs;

/// <summary>
/// Args of <c>email.send</c>: one message through the configured SMTP server. Give either a body
/// (<see cref="Text"/> and/or <see cref="Html"/>, with <see cref="Subject"/>) or a <see cref="Template"/> with its
/// <see cref="Model"/>. Address lists are comma-separated (<c>"a@example.com, Bo &lt;b@example.com&gt;"</c>).
/// </summary>
public sealed record EmailSendArgs : IJobArgs
{
    /// <inheritdoc />
    public static string Kind => "email.send";

    /// <summary>Recipients, comma-separated; at least one.</summary>
    [JsonPropertyName("to")]
    public required string To { get; init; }

    /// <summary>The subject line; a template's subject is used when this is unset.</summary>
    [JsonPropertyName("subject")]
    public string? Subject { get; init; }

    /// <summary>Plain-text body.</summary>
    [JsonPropertyName("text")]
    public string? Text { get; init; }

    /// <summary>HTML body; sent as an alternative beside <see cref="Text"/> when both are set.</summary>
    [JsonPropertyName("html")]
    public string? Html { get; init; }

    /// <summary>Carbon-copy recipients, comma-separated.</summary>
    [JsonPropertyName("cc")]
    public string? Cc { get; init; }

    /// <summary>Blind carbon-copy recipients, comma-separated.</summary>
    [JsonPropertyName("bcc")]
    public string? Bcc { get; init; }

    /// <summary>The Reply-To address.</summary>
    [JsonPropertyName("replyTo")]
    public string? ReplyTo { get; init; }

    /// <summary>Name of a template (see <see cref="EmailTemplates"/>) rendered with <see cref="Model"/>.</summary>
    [JsonPropertyName("template")]
    public string? Template { get; init; }

    /// <summary>Values for the template's <c>{{name}}</c> placeholders; HTML-escaped in HTML bodies.</summary>
    [JsonPropertyName("model")]
    public IReadOnlyDictionary<string, string>? Model { get; init; }

    /// <summary>Files from the blob store to attach.</summary>
    [JsonPropertyName("attachments")]
    public IReadOnlyList<EmailAttachment>? Attachments { get; init; }
}
