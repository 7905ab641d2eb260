using System.Text.Json.Serialization;
using JobPlatform.Core;

namespace JobPlatform.Jobs;

/// <summary>
/// Args of <c>report.generate</c>: renders one report to PDF, stores it in the blob store at
/// <see cref="Destination"/> and, when <see cref="EmailTo"/> is set, enqueues an <c>email.send</c> with the PDF
/// attached. Which other fields apply depends on <see cref="Report"/>:
/// <list type="bullet">
/// <item><c>operations</c> (<see cref="ReportNames.Operations"/>): <see cref="From"/> and <see cref="To"/>, default
/// the 24 hours before the job was enqueued.</item>
/// <item><c>statement</c> (<see cref="ReportNames.Statement"/>): <see cref="CustomerId"/> and <see cref="Period"/>,
/// both required.</item>
/// </list>
/// Example: <c>{"report": "statement", "customerId": "42", "period": "2026-11", "emailTo": "ap@example.com"}</c>.
/// </summary>
public sealed record ReportGenerateArgs : IJobArgs
{
    /// <inheritdoc />
    public static string Kind => "report.generate";

    /// <summary>Which report: <c>operations</c> or <c>statement</c> (see <see cref="ReportNames"/>).</summary>
    [JsonPropertyName("report")]
    public required string Report { get; init; }

    /// <summary>Blob key of the PDF, e.g. <c>reports/ops-2026-11.pdf</c>; default
    /// <c>reports/&lt;report&gt;/&lt;job id&gt;.pdf</c>. An existing blob with that key is replaced.</summary>
    [JsonPropertyName("destination")]
    public string? Destination { get; init; }

    /// <summary>Recipients (comma-separated) of a "report ready" email with the PDF attached; no email when unset.</summary>
    [JsonPropertyName("emailTo")]
    public string? EmailTo { get; init; }

    /// <summary>A title for the report and the email; each report has its own default.</summary>
    [JsonPropertyName("title")]
    public string? Title { get; init; }

    /// <summary><c>operations</c>: start of the time range (inclusive); default <see cref="To"/> minus 24 hours.</summary>
    [JsonPropertyName("from")]
    public DateTimeOffset? From { get; init; }

    /// <summary><c>operations</c>: end of the time range (exclusive); default the time the job was enqueued.</summary>
    [JsonPropertyName("to")]
    public DateTimeOffset? To { get; init; }

    /// <summary><c>statement</c>: the customer's id in the billing tables. A JSON number or string (<c>42</c> or
    /// <c>"42"</c>, or a UUID string).</summary>
    [JsonPropertyName("customerId")]
    [JsonConverter(typeof(StringOrNumberJsonConverter))]
    public string? CustomerId { get; init; }

    /// <summary><c>statement</c>: the billing period, <c>YYYY-MM</c> (e.g. <c>2026-11</c>).</summary>
    [JsonPropertyName("period")]
    public string? Period { get; init; }
}
