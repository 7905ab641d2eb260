using System.ComponentModel.DataAnnotations;

namespace JobPlatform.Jobs.Reports;

/// <summary>
/// Settings of <c>report.generate</c> (section <c>Reports</c>, e.g. <c>Reports__ChromiumPath</c>). The per-call
/// time limit, retries and breaker of Chromium are under <c>Jobs:Resilience:chromium</c>.
/// </summary>
public sealed class ReportOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Reports";

    /// <summary>Default Chromium binary (Debian's <c>chromium</c> package).</summary>
    public const string DefaultChromiumPath = "/usr/bin/chromium";

    /// <summary>Default number of pages kept open for reuse (and the most PDFs printed at once per worker).</summary>
    public const int DefaultPagePoolSize = 4;

    /// <summary>Most pages a worker may keep.</summary>
    public const int MaxPagePoolSize = 32;

    /// <summary>Default time allowed for launching the browser.</summary>
    public static readonly TimeSpan DefaultLaunchTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The Chromium (or Chrome) executable, an absolute path; default <c>/usr/bin/chromium</c>.
    /// Nothing is ever downloaded: <c>playwright install</c> is not used.</summary>
    public string ChromiumPath { get; set; } = DefaultChromiumPath;

    /// <summary>Pages kept open for reuse, 1 to 32; also the most reports printed at once by one worker
    /// (further ones wait for a page). Opening a page costs far more than reusing one.</summary>
    public int PagePoolSize { get; set; } = DefaultPagePoolSize;

    /// <summary>Time allowed for launching the browser (at least 1 s).</summary>
    public TimeSpan LaunchTimeout { get; set; } = DefaultLaunchTimeout;

    /// <summary>Prefix of the <c>link</c> in the "report ready" email, e.g. <c>https://files.example.com/</c>; the
    /// blob key is appended. When unset, the link is the blob key itself.</summary>
    public string? LinkBaseUrl { get; set; }

    /// <summary>Queue of the <c>email.send</c> jobs a report enqueues; the client's default queue when unset.</summary>
    public string? EmailQueue { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ChromiumPath) || !Path.IsPathFullyQualified(ChromiumPath))
        {
            yield return new ValidationResult(
                $"{SectionName}:ChromiumPath is '{ChromiumPath}'; it must be the absolute path of the Chromium binary, e.g. {DefaultChromiumPath} (Debian package chromium).",
                [nameof(ChromiumPath)]);
        }

        if (PagePoolSize is < 1 or > MaxPagePoolSize)
        {
            yield return new ValidationResult(
                $"{SectionName}:PagePoolSize is {PagePoolSize}; it must be 1 to {MaxPagePoolSize}, e.g. {DefaultPagePoolSize}.", [nameof(PagePoolSize)]);
        }

        if (LaunchTimeout < TimeSpan.FromSeconds(1))
        {
            yield return new ValidationResult(
                $"{SectionName}:LaunchTimeout is {LaunchTimeout}; it must be at least 00:00:01, e.g. 00:00:30.", [nameof(LaunchTimeout)]);
        }

        if (LinkBaseUrl is { Length: > 0 } && !Uri.TryCreate(LinkBaseUrl, UriKind.Absolute, out _))
        {
            yield return new ValidationResult(
                $"{SectionName}:LinkBaseUrl is '{LinkBaseUrl}'; it must be an absolute URL such as https://files.example.com/ or unset.", [nameof(LinkBaseUrl)]);
        }
    }
}
