using System.Text.Json.Serialization;
using JobPlatform.Core;

namespace JobPlatform.Jobs;

/// <summary>
/// Args of <c>email.send</c>: one message through the configured SMTP server. Give either a body
/// (<see cref="Text"/> and/or <see cref="Html"/>, with <see cref="Subject"/>) or a <see cref="Template"/> with its
/// <see cref="Model"/>, not both. Address lists are comma-separated (<c>"a@example.com, Bo &lt;b@example.com&gt;"</c>);
/// To, Cc and Bcc together hold 1 to 100 addresses. Args that can never be sent (no recipient, a bad address, no
/// body, an unknown template, a missing model key, a missing attachment blob) discard the job at once. The message
/// carries the Message-ID <c>&lt;jobid@jobplatform&gt;</c> on every attempt, so a copy resent after a crash can be
/// recognized.
/// </summary>
public sealed record EmailSendArgs : IJobArgs
{
    /// <inheritdoc />
    public static string Kind => "email.send";

    /// <summary>Recipients, comma-separated; at least one.</summary>
    [JsonPropertyName("to")]
    public required string To { get; init; }

    /// <summary>The subject line (one line); with a <see cref="Template"/>, it replaces the template's subject when set.</summary>
    [JsonPropertyName("subject")]
    public string? Subject { get; init; }

    /// <summary>Plain-text body; not allowed together with <see cref="Template"/>.</summary>
    [JsonPropertyName("text")]
    public string? Text { get; init; }

    /// <summary>HTML body; sent as an alternative beside <see cref="Text"/> when both are set; not allowed together with <see cref="Template"/>.</summary>
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

    /// <summary>Name of a template (see <see cref="EmailTemplates"/>, or one added in the worker's <c>Email:TemplatesPath</c>)
    /// rendered with <see cref="Model"/>.</summary>
    [JsonPropertyName("template")]
    public string? Template { get; init; }

    /// <summary>Values for the template's <c>{{name}}</c> placeholders; HTML-escaped in HTML bodies. Every placeholder
    /// the template uses must have a value; extra keys are ignored.</summary>
    [JsonPropertyName("model")]
    public IReadOnlyDictionary<string, string>? Model { get; init; }

    /// <summary>Files from the blob store to attach.</summary>
    [JsonPropertyName("attachments")]
    public IReadOnlyList<EmailAttachment>? Attachments { get; init; }
}
