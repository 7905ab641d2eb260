using JobPlatform.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobPlatform.Hosting;

/// <summary>Migrates (if configured), starts the engine, and drains it on SIGTERM.</summary>
internal sealed class WorkerHostedService(
    NpgsqlDataSource dataSource,
    IOptions<JobEngineOptions> engineOptions,
    IOptions<WorkerHostOptions> hostOptions,
    JobHandlerRegistry registry,
    IEnumerable<IConfigureHandlers> handlerRegistrations,
    IEnumerable<IModuleMigration> moduleMigrations,
    IServiceProvider services,
    WorkerState state,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("JobPlatform.Worker");
    private JobEngine? _engine;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = engineOptions.Value;
        if (hostOptions.Value.MigrateOnStart)
        {
            await StartupMigration.RunAsync(dataSource, options.Schema, _logger, cancellationToken, moduleMigrations).ConfigureAwait(false);
        }

        foreach (var registration in handlerRegistrations)
        {
            registration.Apply(registry, services);
        }

        _engine = new JobEngine(dataSource, options, registry, loggerFactory);
        await _engine.StartAsync(cancellationToken).ConfigureAwait(false);
        state.WorkerId = _engine.WorkerId;
        state.Started = true;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        state.Started = false;
        if (_engine is not null)
        {
            await _engine.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync().ConfigureAwait(false);
        }
    }
}
