using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace JobPlatform.Hosting;

/// <summary>Serilog logging for every host: a readable console, or compact JSON (one object per line) when asked.</summary>
public static class JobPlatformLoggingExtensions
{
    /// <summary>The setting that picks <c>text</c> (default) or <c>json</c>; as an environment variable, <c>JobPlatform__Logging__Format</c>.</summary>
    public const string FormatKey = "JobPlatform:Logging:Format";

    /// <summary>
    /// Makes Serilog the host's logger, configured from <see cref="IHostApplicationBuilder.Configuration"/>;
    /// see <see cref="AddJobPlatformLogging(ILoggingBuilder, IConfiguration)"/>. Works for a WebApplication and a generic host.
    /// </summary>
    /// <param name="builder">The host builder.</param>
    /// <exception cref="InvalidOperationException"><see cref="FormatKey"/> is neither <c>text</c> nor <c>json</c>.</exception>
    public static IHostApplicationBuilder AddJobPlatformLogging(this IHostApplicationBuilder builder)
    {
        builder.Logging.AddJobPlatformLogging(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Clears the logging providers and makes Serilog the logger factory (Serilog.Extensions.Hosting's
    /// <c>AddSerilog</c>), writing to stdout: Serilog's console text or, with <c>JobPlatform:Logging:Format=json</c>,
    /// compact JSON (Serilog.Formatting.Compact, with the rendered message). Minimum level Information, Warning for
    /// <c>Microsoft.AspNetCore</c> and <c>Npgsql</c>; everything can be overridden in the <c>Serilog</c> configuration
    /// section (<c>Serilog:MinimumLevel:Override:JobPlatform.Engine=Debug</c>).
    /// </summary>
    /// <param name="logging">The logging builder.</param>
    /// <param name="configuration">The configuration holding the <c>Serilog</c> section and <see cref="FormatKey"/>.</param>
    /// <exception cref="InvalidOperationException"><see cref="FormatKey"/> is neither <c>text</c> nor <c>json</c>.</exception>
    public static ILoggingBuilder AddJobPlatformLogging(this ILoggingBuilder logging, IConfiguration configuration) =>
        logging.AddJobPlatformLogging(configuration, sink: null);

    /// <summary>As the public overload, writing to the sink <paramref name="sink"/> makes with the configured
    /// formatter instead of stdout when given (tests).</summary>
    internal static ILoggingBuilder AddJobPlatformLogging(this ILoggingBuilder logging, IConfiguration configuration, Func<ITextFormatter, ILogEventSink>? sink)
    {
        // Read now, so a bad value stops the host while it is being built, naming the key.
        var format = SerilogSetup.ReadFormat(configuration);
        logging.ClearProviders();
        // The container owns the logger (and flushes it at shutdown); the static Log.Logger is left alone.
        logging.Services.AddSerilog((_, config) => SerilogSetup.Configure(config, configuration, format, sink), preserveStaticLogger: true);
        return logging;
    }

    /// <summary>
    /// Logs one line per HTTP request (Serilog.AspNetCore's request logging: method, path, status, elapsed time),
    /// at Information; health checks and <c>/metrics</c> scrapes, which come every few seconds, at Debug; a 5xx
    /// answer or an exception at Error. Query strings are not logged. Call it early, before the endpoints.
    /// </summary>
    /// <param name="app">The web application.</param>
    /// <exception cref="InvalidOperationException">The host's logging is not <see cref="AddJobPlatformLogging(IHostApplicationBuilder)"/>.</exception>
    public static IApplicationBuilder UseJobPlatformRequestLogging(this IApplicationBuilder app)
    {
        // The middleware writes to the static Log.Logger unless given one, and the hosts leave that one silent.
        var logger = app.ApplicationServices.GetService<Serilog.ILogger>()
            ?? throw new InvalidOperationException("Request logging needs the host's Serilog logger: call builder.AddJobPlatformLogging() (or AddJobPlatformServiceDefaults()) first.");
        return app.UseSerilogRequestLogging(o =>
        {
            o.Logger = logger;
            o.GetLevel = RequestLevel;
        });
    }

    internal static LogEventLevel RequestLevel(HttpContext context, double elapsedMs, Exception? error)
    {
        if (error is not null || context.Response.StatusCode >= StatusCodes.Status500InternalServerError)
        {
            return LogEventLevel.Error;
        }

        var path = context.Request.Path;
        return path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics") ? LogEventLevel.Debug : LogEventLevel.Information;
    }
}
