using JobPlatform.Core;

namespace JobPlatform.Jobs.Reports;

/// <summary>One report <c>report.generate</c> can produce: reads its data and renders it to HTML.</summary>
internal interface IReport
{
    /// <summary>The name in <see cref="ReportGenerateArgs.Report"/>.</summary>
    string Name { get; }

    /// <summary>Reads the data and renders the complete HTML document. <paramref name="enqueuedAt"/> (the job's creation
    /// time) anchors defaults such as the operations report's range, so every attempt of a job covers the same data.</summary>
    /// <exception cref="DiscardJobException">The args do not fit this report, or name something that does not exist.</exception>
    Task<RenderedReport> RenderAsync(ReportGenerateArgs args, DateTimeOffset enqueuedAt, CancellationToken cancellationToken);
}
