namespace JobPlatform.Jobs.Email;

/// <summary>One email template: a subject and at least one body, each with <c>{{name}}</c> placeholders.</summary>
/// <param name="Name">The template's name, e.g. <c>receipt</c>.</param>
/// <param name="Subject">The subject line's template.</param>
/// <param name="Text">The plain-text body's template, if any.</param>
/// <param name="Html">The HTML body's template, if any.</param>
internal sealed record EmailTemplate(string Name, string? Subject, string? Text, string? Html);
