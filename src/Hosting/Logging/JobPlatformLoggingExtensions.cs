using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Json;

namespace JobPlatform.Hosting;

/// <summary>Serilog logging for every host: one JSON object per line on stdout, or readable text.</summary>
public static class JobPlatformLoggingExtensions
{
    /// <summary>The setting that picks <c>json</c> (default) or <c>text</c>.</summary>
    public const string FormatKey = "JobPlatform:Logging:Format";

    /// <summary>
    /// Replaces the default providers with Serilog. Levels and sinks can be overridden in the <c>Serilog</c>
    /// configuration section; <c>JobPlatform:Logging:Format=text</c> gives a human-readable console.
    /// </summary>
    public static IHostApplicationBuilder AddJobPlatformLogging(this IHostApplicationBuilder builder)
    {
        var logger = CreateLogger(builder.Configuration);
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);
        return builder;
    }

    internal static Serilog.Core.Logger CreateLogger(IConfiguration configuration)
    {
        var format = configuration[FormatKey] ?? "json";
        var config = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Extensions.Diagnostics.HealthChecks", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .ReadFrom.Configuration(configuration);
        config = format.Equals("text", StringComparison.OrdinalIgnoreCase)
            ? config.WriteTo.Console(outputTemplate: "{Timestamp:HH:mm:ss.fff} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}",
                formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            : config.WriteTo.Console(new JsonFormatter(renderMessage: true, formatProvider: System.Globalization.CultureInfo.InvariantCulture));
        return config.CreateLogger();
    }
}
