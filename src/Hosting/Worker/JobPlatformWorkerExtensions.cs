using System.Globalization;
using JobPlatform.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace JobPlatform.Hosting;

/// <summary>Registers the processing engine as a hosted service, configured from <c>JobPlatform:Worker</c>.</summary>
public static class JobPlatformWorkerExtensions
{
    /// <summary>The configuration section of the worker.</summary>
    public const string SectionName = "JobPlatform:Worker";

    /// <summary>
    /// Adds the client, the engine (started after migrations when <c>JobPlatform:Worker:MigrateOnStart</c>
    /// is true, the default) and graceful shutdown. Invalid settings fail the start with every bad key named.
    /// </summary>
    public static IHostApplicationBuilder AddJobPlatformWorker(this IHostApplicationBuilder builder)
    {
        builder.AddJobPlatformClient();
        var configuration = builder.Configuration;
        builder.Services.AddOptions<JobEngineOptions>()
            .BindConfiguration(SectionName)
            .PostConfigure(o =>
            {
                o.Schema = configuration[JobPlatformDatabaseExtensions.SchemaKey] ?? o.Schema;
                // The binder merges dictionary keys into the defaults; configured queues replace them instead.
                var queues = configuration.GetSection(SectionName + ":Queues");
                if (queues.Exists())
                {
                    o.Queues = queues.GetChildren().ToDictionary(c => c.Key, c => ParseConcurrency(c));
                }
            });
        builder.Services.AddSingleton<IValidateOptions<JobEngineOptions>, JobEngineOptionsValidator>();
        builder.Services.AddOptions<JobEngineOptions>().ValidateOnStart();
        builder.Services.AddOptions<WorkerHostOptions>().BindConfiguration(SectionName);
        builder.Services.TryAddSingleton<JobHandlerRegistry>();
        builder.Services.AddSingleton<WorkerState>();
        builder.Services.AddHostedService<WorkerHostedService>();
        builder.AddWorkerReadiness();
        // The host must wait for the engine's own drain (shutdown timeout + flushing outcomes).
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<JobEngineOptions>>((host, engine) =>
            host.ShutdownTimeout = engine.Value.ShutdownTimeout + engine.Value.CancelGrace + TimeSpan.FromSeconds(20));
        return builder;
    }

    /// <summary>Registers a handler for <typeparamref name="TArgs"/>'s kind; a new DI scope and handler instance per attempt.</summary>
    public static IServiceCollection AddJobHandler<TArgs, THandler>(this IServiceCollection services, JobKindOptions? options = null)
        where TArgs : IJobArgs
        where THandler : class, IJobHandler<TArgs>
    {
        services.TryAddScoped<THandler>();
        services.AddSingleton<IConfigureHandlers>(new ConfigureHandler<TArgs, THandler>(options));
        return services;
    }

    private static int ParseConcurrency(IConfigurationSection section) =>
        int.TryParse(section.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new OptionsValidationException(SectionName, typeof(JobEngineOptions),
                [$"{section.Path} is '{section.Value}'; it must be a whole number (the queue's concurrency), e.g. 100."]);
}
