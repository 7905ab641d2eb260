using JobPlatform.Core;
using JobPlatform.Core.Alerts;
using JobPlatform.Core.Monitoring;
using JobPlatform.Hosting;
using JobPlatform.Hosting.Alerts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace JobPlatform.Scheduler.Hosting.Alerts;

/// <summary>Registers backlog alerting in a scheduler host (section <c>Alerts</c>).</summary>
public static class JobPlatformAlertsExtensions
{
    /// <summary>How long a delivery may wait for a channel's answer.</summary>
    public static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Adds the alerts platform task (evaluation and delivery, on one replica at a time) and its metrics. Every
    /// setting is checked here, so a bad one stops the start naming its key (never showing a webhook URL).
    /// </summary>
    /// <exception cref="InvalidOperationException">A setting is not valid.</exception>
    public static IHostApplicationBuilder AddJobPlatformAlerts(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var options = new AlertOptions();
        configuration.GetSection(AlertOptions.SectionName).Bind(options);
        var errors = new List<string>();
        if (options.EvaluationInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add($"Alerts:EvaluationInterval is {options.EvaluationInterval}; use at least 00:00:01.");
        }

        if (options.MinimumMessageInterval < TimeSpan.Zero)
        {
            errors.Add($"Alerts:MinimumMessageInterval is {options.MinimumMessageInterval}; use zero or more.");
        }

        foreach (var (key, url) in new[] { ("Alerts:DashboardUrl", options.DashboardUrl), ("Alerts:RunbookUrl", options.RunbookUrl) })
        {
            if (url is { Length: > 0 } && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            {
                errors.Add($"{key} is '{url}'; use an absolute http(s) URL, e.g. https://jobs.example.com.");
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Alert settings are not valid:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
        }

        var channels = AlertChannels.From(options);
        var rules = AlertRules.Resolve(options, [.. channels.Channels.Keys]);
        if (!options.Enabled)
        {
            return builder;
        }

        var worker = new JobEngineOptions();
        configuration.GetSection(JobPlatformWorkerExtensions.SectionName).Bind(worker);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new JobMonitor(sp.GetRequiredService<JobClient>()));
        services.TryAddSingleton(sp => new AlertStore(sp.GetRequiredService<JobClient>()));
        services.AddSingleton(options);
        services.AddSingleton(channels);
        services.AddSingleton(new AlertEvaluator(options));
        services.AddHttpClient(nameof(AlertDelivery), c => c.Timeout = DeliveryTimeout);
        services.AddSingleton(sp => new AlertDelivery(sp.GetRequiredService<AlertStore>(), channels, options,
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(AlertDelivery)), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AlertDelivery>>()));
        services.AddSingleton<IPlatformTask>(sp =>
        {
            var store = sp.GetRequiredService<AlertStore>();
            AlertMetrics.ObserveCounts(CachedCounts(store), [.. rules.Where(r => r.Enabled).Select(r => r.Name)]);
            if (channels.Channels.Count == 0)
            {
                sp.GetRequiredService<ILogger<AlertTask>>().LogWarning(
                    "Alerts are evaluated and shown on the dashboard but sent nowhere: set Alerts:Slack:WebhookUrl or Alerts:Channels:<name>:Url");
            }

            return new AlertTask(sp.GetRequiredService<JobMonitor>(), store, sp.GetRequiredService<AlertDelivery>(), rules, channels, options,
                sp.GetRequiredService<AlertEvaluator>(), worker.WorkerLostAfter, sp.GetRequiredService<ILogger<AlertTask>>());
        });
        return builder;
    }

    /// <summary>The counts behind the gauges, read at most every 5 s (a scrape reads them on every replica).</summary>
    private static Func<AlertCounts?> CachedCounts(AlertStore store)
    {
        AlertCounts? last = null;
        var readAt = 0L;
        return () =>
        {
            if (last is null || Environment.TickCount64 - readAt > 5000)
            {
                try
                {
                    last = store.CountAsync().GetAwaiter().GetResult();
                    readAt = Environment.TickCount64;
                }
                catch (Npgsql.NpgsqlException)
                {
                    // The database is unreachable: the readiness check says so; the gauges keep their last values.
                }
            }

            return last;
        };
    }
}
