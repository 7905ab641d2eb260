namespace JobPlatform.Jobs;

/// <summary>Names of the email templates the catalogue ships with.</summary>
public static class EmailTemplates
{
    /// <summary>A payment receipt; model keys: <c>customer</c>, <c>invoice</c>, <c>amount</c>, <c>period</c>.</summary>
    public const string Receipt = "receipt";

    /// <summary>A report is ready; model keys: <c>title</c>, <c>link</c>.</summary>
    public const string ReportReady = "report-ready";
}
