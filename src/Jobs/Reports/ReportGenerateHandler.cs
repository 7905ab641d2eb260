using JobPlatform.Core;
using JobPlatform.Jobs.Blobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobPlatform.Jobs.Reports;

/// <summary>
/// Runs <c>report.generate</c>: renders the named report (Razor → HTML), prints it on the worker's Chromium, stores the
/// PDF in the blob store and then, when asked, enqueues one <c>email.send</c> with it attached. The email's unique key
/// is derived from this job's id, so a retry after the enqueue (or an operator's retry) never sends a second one.
/// </summary>
internal sealed class ReportGenerateHandler(
    IEnumerable<IReport> reports,
    ReportPrinter printer,
    IBlobStore blobs,
    JobClient client,
    IOptions<ReportOptions> options,
    ILogger<ReportGenerateHandler> logger) : IJobHandler<ReportGenerateArgs>
{
    /// <summary>Per-attempt time limit of the kind: reading, rendering and printing a report is seconds, not minutes.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public async Task HandleAsync(ReportGenerateArgs args, JobContext context, CancellationToken cancellationToken)
    {
        var report = reports.FirstOrDefault(r => string.Equals(r.Name, args.Report, StringComparison.Ordinal))
            ?? throw new DiscardJobException(
                $"report.generate: report '{args.Report}' is unknown; use one of: {string.Join(", ", ReportNames.All)}.");
        var destination = Destination(args, context);

        var rendered = await report.RenderAsync(args, context.CreatedAt, cancellationToken).ConfigureAwait(false);
        var pdf = await printer.PrintAsync(rendered.Html, cancellationToken).ConfigureAwait(false);
        await blobs.WriteAsync(destination, new MemoryStream(pdf, writable: false), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Report {Report} of job {JobId} stored at {Destination} ({Bytes} bytes).", report.Name, context.Id, destination, pdf.Length);

        if (!string.IsNullOrWhiteSpace(args.EmailTo))
        {
            var email = await client.EnqueueAsync(new EmailSendArgs
            {
                To = args.EmailTo,
                Template = EmailTemplates.ReportReady,
                Model = new Dictionary<string, string> { ["title"] = rendered.Title, ["link"] = Link(destination) },
                Attachments = [new EmailAttachment(destination, destination[(destination.LastIndexOf('/') + 1)..], "application/pdf")],
            }, new EnqueueOptions
            {
                Queue = options.Value.EmailQueue,
                Unique = new UniqueOptions { Key = EmailUniqueKey(context.Id), States = UniqueStates.All },
                Tags = [$"report:{context.Id}"],
            }, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Report {Report} of job {JobId}: email job {EmailJobId} {Outcome}.",
                report.Name, context.Id, email.Id, email.Duplicate ? "was already enqueued by an earlier attempt" : "enqueued");
        }
    }

    /// <summary>The unique key of the email of report job <paramref name="jobId"/>.</summary>
    internal static string EmailUniqueKey(Guid jobId) => $"report.generate:{jobId:N}:email";

    private static string Destination(ReportGenerateArgs args, JobContext context)
    {
        var key = args.Destination ?? $"reports/{args.Report}/{context.Id:N}.pdf";
        try
        {
            return BlobKey.Validate(key, "destination");
        }
        catch (ArgumentException e)
        {
            throw new DiscardJobException($"report.generate: {e.Message.Split(" (Parameter")[0]}", e);
        }
    }

    private string Link(string destination) =>
        options.Value.LinkBaseUrl is { Length: > 0 } prefix ? prefix.TrimEnd('/') + "/" + destination : destination;
}
