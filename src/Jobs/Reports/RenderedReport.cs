namespace JobPlatform.Jobs.Reports;

/// <summary>A report rendered to HTML, ready to print.</summary>
/// <param name="Title">Its title, also the email's.</param>
/// <param name="Html">The complete HTML document.</param>
internal sealed record RenderedReport(string Title, string Html);
