using JobPlatform.Hosting;
using JobPlatform.Jobs.Blobs;
using JobPlatform.Jobs.Resilience;
using JobPlatform.Jobs.Schema;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace JobPlatform.Jobs;

/// <summary>Registers the job catalogue in a worker: every kind's handler, the blob store, the dependencies'
/// resilience pipelines and the catalogue's tables (migrated at start with the platform's).</summary>
public static class JobPlatformJobsExtensions
{
    /// <summary>The section holding each dependency's resilience settings: <c>Jobs:Resilience:&lt;name&gt;</c>.</summary>
    public const string ResilienceSection = "Jobs:Resilience";

    /// <summary>Adds every catalogue kind to the worker. Call after <c>AddJobPlatformWorker()</c>. Bad settings
    /// fail the start with each key named.</summary>
    public static IHostApplicationBuilder AddJobPlatformJobs(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<BlobStoreOptions>().BindConfiguration(BlobStoreOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(sp => new FileSystemBlobStore(sp.GetRequiredService<IOptions<BlobStoreOptions>>().Value.Root));
        builder.Services.TryAddSingleton<IBlobStore>(sp => sp.GetRequiredService<FileSystemBlobStore>());
        builder.Services.AddSingleton<IModuleMigration, JobsModuleMigration>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(sp => new Dependencies(sp.GetServices<Dependency>()));
        builder.Services.AddHostedService<DependenciesActivator>();

        builder.AddEmailJobs();
        builder.AddImageJobs();
        builder.AddBillingJobs();
        builder.AddReportJobs();
        return builder;
    }

    /// <summary>Registers the dependency <paramref name="name"/> with <paramref name="defaults"/>, overridden by
    /// <c>Jobs:Resilience:&lt;name&gt;</c>, and returns the settings in effect (kinds size their attempt timeout on
    /// them). Invalid settings throw here, so the host fails before it starts.</summary>
    internal static DependencyOptions AddDependency(this IHostApplicationBuilder builder, string name, DependencyOptions defaults)
    {
        var section = $"{ResilienceSection}:{name}";
        var options = defaults with { };
        builder.Configuration.GetSection(section).Bind(options);
        var problems = options.Validate(section).ToList();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(section, typeof(DependencyOptions), problems);
        }

        builder.Services.AddSingleton(sp => new Dependency(name, options, sp.GetRequiredService<TimeProvider>()));
        return options;
    }

    /// <summary>An attempt timeout of at least <paramref name="floor"/> that also covers <paramref name="dependency"/>'s
    /// longest call plus <paramref name="besides"/> (the kind's own work and waits).</summary>
    internal static TimeSpan AttemptTimeout(TimeSpan floor, DependencyOptions dependency, TimeSpan besides)
    {
        var needed = dependency.LongestCall + besides;
        return needed > floor ? needed : floor;
    }
}
