using System.Data.Common;
using JobPlatform.Core;
using JobPlatform.Hosting;
using JobPlatform.Scheduler.Hosting.Alerts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;

namespace JobPlatform.Scheduler.Hosting;

/// <summary>Registers the scheduler: a Quartz.NET cluster on the platform's PostgreSQL firing recurring schedules and platform tasks.</summary>
public static class JobPlatformSchedulerExtensions
{
    /// <summary>The configuration section of the scheduler host.</summary>
    public const string SectionName = "JobPlatform:Scheduler";

    /// <summary>
    /// Adds the client, the recurring schedules store (reading crons with Quartz) and firer, Quartz with the clustered ADO store on the
    /// <c>qrtz_</c> tables of the platform schema (created by the platform's migrations), the trigger sync
    /// and graceful shutdown (running fires finish). Invalid settings fail the start, naming each key.
    /// </summary>
    public static IHostApplicationBuilder AddJobPlatformScheduler(this IHostApplicationBuilder builder)
    {
        builder.AddJobPlatformClient();
        var configuration = builder.Configuration;
        var options = configuration.GetSection(SectionName).Get<SchedulerHostOptions>() ?? new SchedulerHostOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(SectionName, typeof(SchedulerHostOptions), errors);
        }

        var schema = Core.Sql.SchemaName.Validate(configuration[JobPlatformDatabaseExtensions.SchemaKey] ?? Core.Sql.SchemaName.Default);
        // The validated values Quartz is configured with are the ones every scheduler service reads.
        builder.Services.AddSingleton(Options.Create(options));
        builder.Services.TryAddSingleton<IRecurringTimetable, QuartzTimetable>();
        builder.Services.TryAddSingleton(sp => new RecurringSchedules(sp.GetRequiredService<JobClient>(), sp.GetRequiredService<IRecurringTimetable>()));
        builder.Services.TryAddSingleton(sp => new RecurringFirer(sp.GetRequiredService<JobClient>()));
        builder.Services.TryAddSingleton(sp => new RecurringRefusals(sp.GetRequiredService<JobClient>()));
        builder.Services.AddSingleton<RecurringTriggerSync>();
        builder.Services.AddSingleton<IPlatformTask>(sp => sp.GetRequiredService<RecurringTriggerSync>());
        // Quartz takes its connections from the platform's data source.
        builder.Services.TryAddSingleton<DbDataSource>(sp => sp.GetRequiredService<NpgsqlDataSource>());
        builder.Services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                // recurring_list.sql reads the next fire times of this scheduler's triggers.
                s.InstanceName = RecurringSchedules.QuartzSchedulerName;
                s.InstanceId = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
            });
            q.UseDefaultThreadPool(options.MaxConcurrency);
            q.UsePersistentStore(store =>
            {
                store.UseSystemTextJsonSerializer();
                store.UseClustering(c => c.CheckinInterval = options.ClusterCheckinInterval);
                store.UsePostgres(p => p.UseRegisteredDataSource = true);
                store.ConfigureStore(s =>
                {
                    s.TablePrefix = schema + ".qrtz_";
                    s.MisfireThreshold = options.MisfireThreshold;
                });
            });
        });
        // Registered before Quartz's hosted service, so definitions and triggers are in place when it starts.
        builder.Services.AddHostedService<SchedulerHostedService>();
        builder.Services.AddQuartzHostedService(q => q.WaitForJobsToComplete = true);
        builder.Services.AddHealthChecks().AddCheck<SchedulerReadyCheck>("scheduler", tags: [ServiceDefaultsExtensions.ReadyTag]);
        builder.AddJobPlatformAlerts();
        return builder;
    }

    /// <summary>Adds a platform task the scheduler cluster runs on one replica at a time, every <see cref="IPlatformTask.Interval"/>.</summary>
    public static IServiceCollection AddPlatformTask<TTask>(this IServiceCollection services)
        where TTask : class, IPlatformTask
    {
        services.AddSingleton<IPlatformTask, TTask>();
        return services;
    }
}
