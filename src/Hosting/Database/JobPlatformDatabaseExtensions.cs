using JobPlatform.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace JobPlatform.Hosting;

/// <summary>Registers the PostgreSQL data source and the client library from configuration.</summary>
public static class JobPlatformDatabaseExtensions
{
    /// <summary>The connection string name: <c>ConnectionStrings:JobPlatform</c> (env <c>ConnectionStrings__JobPlatform</c>).</summary>
    public const string ConnectionStringName = "JobPlatform";

    /// <summary>The key of the schema setting shared by every component.</summary>
    public const string SchemaKey = "JobPlatform:Schema";

    /// <summary>
    /// Registers one <see cref="NpgsqlDataSource"/> for the process (logging through the host's logger factory,
    /// traced below the host's activities) and a <see cref="JobClient"/> bound to
    /// <c>JobPlatform:Client</c>. Fails at start, naming the key, when the connection string is missing.
    /// </summary>
    public static IHostApplicationBuilder AddJobPlatformClient(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.AddSingleton(services =>
        {
            var connectionString = configuration.GetConnectionString(ConnectionStringName);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException(
                    $"ConnectionStrings:{ConnectionStringName} is not set. Set the environment variable ConnectionStrings__{ConnectionStringName} " +
                    "(e.g. \"Host=127.0.0.1;Port=5432;Username=app;Database=jobs\"), or start through ./run.sh, which provides a private PostgreSQL.");
            }

            var dataSource = new NpgsqlDataSourceBuilder(connectionString);
            dataSource.ConnectionStringBuilder.ApplicationName ??= builder.Environment.ApplicationName;
            ConnectionDefaults.Apply(dataSource.ConnectionStringBuilder);
            // Npgsql's own log lines go through the host's logger (Serilog); it never logs the password, and
            // parameter values only with EnableParameterLogging, which stays off.
            if (services.GetService<ILoggerFactory>() is { } loggerFactory)
            {
                dataSource.UseLoggerFactory(loggerFactory);
            }

            dataSource.ConfigureTracing(JobPlatformTelemetryExtensions.ConfigureNpgsqlTracing);
            return dataSource.Build();
        });
        builder.Services.AddOptions<JobClientOptions>()
            .BindConfiguration("JobPlatform:Client")
            .PostConfigure(o => o.Schema = configuration[SchemaKey] ?? o.Schema)
            .Validate(o => o.MaxArgsBytes > 0, "JobPlatform:Client:MaxArgsBytes must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => new JobClient(
            sp.GetRequiredService<NpgsqlDataSource>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<JobClientOptions>>().Value));
        return builder;
    }
}
