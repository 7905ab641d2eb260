using JobPlatform.Core;
using JobPlatform.Hosting;
using JobPlatform.Jobs.Billing;
using JobPlatform.Jobs.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace JobPlatform.Jobs;

/// <summary>Registers the billing kinds.</summary>
internal static class BillingJobsExtensions
{
    /// <summary>Per-attempt limit of <c>billing.charge</c>: above the gateway pipeline's worst case
    /// (3 calls × 20 s timeout plus backoff), so the pipeline, not the job timeout, gives up first.</summary>
    internal static readonly TimeSpan ChargeTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Backoff of <c>billing.charge</c>: capped at an hour, so its 20 attempts stay within a gateway's
    /// idempotency window (Stripe keeps keys 24 h).</summary>
    internal static readonly RetryPolicy ChargeRetry = new() { BaseDelay = TimeSpan.FromSeconds(5), MaxDelay = TimeSpan.FromHours(1) };

    public static IHostApplicationBuilder AddBillingJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BillingRunOptions>().BindConfiguration(BillingRunOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<PaymentGatewayOptions>().BindConfiguration(PaymentGatewayOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PaymentGatewayOptions>, PaymentGatewayOptionsValidator>();
        // The pipeline owns the timeout; headers (the API key) are never logged.
        builder.Services.AddHttpClient(PaymentGatewayClient.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .RedactLoggedHeaders(_ => true);
        builder.Services.TryAddSingleton<PaymentGatewayClient>();
        builder.Services.TryAddSingleton<BillingStore>();
        var gateway = builder.AddDependency(Dependencies.PaymentGateway, new DependencyOptions { Timeout = TimeSpan.FromSeconds(20) });
        builder.Services.AddJobHandler<BillingRunArgs, BillingRunHandler>(new JobKindOptions { Timeout = TimeSpan.FromMinutes(10) });
        builder.Services.AddJobHandler<BillingChargeArgs, BillingChargeHandler>(new JobKindOptions
        {
            Timeout = JobPlatformJobsExtensions.AttemptTimeout(ChargeTimeout, gateway, TimeSpan.FromSeconds(30)),
            Retry = ChargeRetry,
        });
        return builder;
    }
}
