using JobPlatform.Core;
using JobPlatform.Jobs.Blobs;
using JobPlatform.Jobs.Reports;
using JobPlatform.Jobs.Resilience;
using JobPlatform.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace JobPlatform.Jobs.Tests.Reports;

/// <summary>
/// The report services as the worker wires them (<c>AddReportServices</c>), on a test's own schema and blob folder.
/// Pass a shared <see cref="ChromiumBrowser"/> to reuse a warm browser; the container does not dispose an instance
/// it was given.
/// </summary>
internal static class ReportServices
{
    public static ServiceProvider Build(TestDatabase db, string blobRoot, ChromiumBrowser? sharedBrowser = null,
        IDictionary<string, string?>? settings = null, DependencyOptions? chromium = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<NpgsqlDataSource>(db.DataSource);
        services.AddSingleton(db.CreateClient());
        services.AddSingleton<IBlobStore>(new FileSystemBlobStore(blobRoot));
        services.AddSingleton(new Dependencies([new Dependency(Dependencies.Chromium, chromium ?? ReportJobsExtensions.ChromiumDefaults)]));
        if (sharedBrowser is not null)
        {
            services.AddSingleton(sharedBrowser);
        }

        services.AddReportServices();
        services.AddScoped<ReportGenerateHandler>();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>Registers <c>report.generate</c> in <paramref name="registry"/> the way the worker does: a scope and a
    /// handler per attempt.</summary>
    public static JobHandlerRegistry AddReportHandler(this JobHandlerRegistry registry, IServiceProvider services) =>
        registry.Register<ReportGenerateArgs>(async (args, context, ct) =>
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ReportGenerateHandler>().HandleAsync(args, context, ct);
        }, new JobKindOptions { Timeout = ReportGenerateHandler.Timeout });
}
