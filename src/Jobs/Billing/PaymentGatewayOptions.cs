namespace JobPlatform.Jobs.Billing;

/// <summary>The payment gateway of <c>billing.charge</c> (section <c>Billing:Gateway</c>). Its timeout, retries and
/// breaker are <c>Jobs:Resilience:payment-gateway:*</c>.</summary>
public sealed class PaymentGatewayOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Billing:Gateway";

    /// <summary>The gateway's base URL, e.g. <c>http://127.0.0.1:5090</c>; charges go to <c>{BaseUrl}/v1/charges</c>.
    /// Unset: the worker starts, and <c>billing.charge</c> jobs fail (and are retried) until it is set.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The secret API key, sent as <c>Authorization: Bearer</c>. Never logged. Unset: no header.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The problem with <see cref="BaseUrl"/>, naming the key, or null when it is absent or valid.</summary>
    internal string? Validate()
    {
        // Empty counts as absent: deployments set every variable and leave the unused ones empty.
        if (string.IsNullOrWhiteSpace(BaseUrl))
        {
            return null;
        }

        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return $"{SectionName}:BaseUrl is '{BaseUrl}'; it must be an absolute http or https URL, e.g. http://127.0.0.1:5090.";
        }

        // Credentials in the URL would reach logs and job errors with it; the value is not echoed for that reason.
        return uri.UserInfo.Length > 0
            ? $"{SectionName}:BaseUrl carries credentials (user:password@); remove them and set {SectionName}:ApiKey instead."
            : null;
    }
}
