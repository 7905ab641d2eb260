using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;

namespace JobPlatform.Hosting;

/// <summary>Serilog logging for every host: one JSON object per line on stdout, or readable text for a terminal.</summary>
public static class JobPlatformLoggingExtensions
{
    /// <summary>The setting that picks <c>json</c> (default) or <c>text</c>; as an environment variable, <c>JobPlatform__Logging__Format</c>.</summary>
    public const string FormatKey = "JobPlatform:Logging:Format";

    /// <summary>
    /// Replaces the logging providers with Serilog configured from <see cref="IHostApplicationBuilder.Configuration"/>;
    /// see <see cref="AddJobPlatformLogging(ILoggingBuilder, IConfiguration)"/>. Works for a WebApplication and a generic host.
    /// </summary>
    /// <param name="builder">The host builder.</param>
    /// <exception cref="InvalidOperationException"><see cref="FormatKey"/> is neither <c>json</c> nor <c>text</c>.</exception>
    public static IHostApplicationBuilder AddJobPlatformLogging(this IHostApplicationBuilder builder)
    {
        builder.Logging.AddJobPlatformLogging(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Clears the logging providers and adds Serilog writing to stdout: JSON lines (Serilog's <c>JsonFormatter</c>
    /// with the rendered message) or, with <c>JobPlatform:Logging:Format=text</c>, a readable console. Minimum level
    /// Information, Warning for <c>Microsoft.AspNetCore</c>; everything can be overridden in the <c>Serilog</c>
    /// configuration section (<c>Serilog:MinimumLevel:Override:JobPlatform.Engine=Debug</c>).
    /// </summary>
    /// <param name="logging">The logging builder.</param>
    /// <param name="configuration">The configuration holding the <c>Serilog</c> section and <see cref="FormatKey"/>.</param>
    /// <exception cref="InvalidOperationException"><see cref="FormatKey"/> is neither <c>json</c> nor <c>text</c>.</exception>
    public static ILoggingBuilder AddJobPlatformLogging(this ILoggingBuilder logging, IConfiguration configuration) =>
        logging.AddJobPlatformLogging(configuration, output: null);

    /// <summary>As the public overload, writing to <paramref name="output"/> instead of stdout when given (tests).</summary>
    internal static ILoggingBuilder AddJobPlatformLogging(this ILoggingBuilder logging, IConfiguration configuration, TextWriter? output)
    {
        var logger = SerilogSetup.CreateLogger(configuration, output);
        logging.ClearProviders();
        // Serilog decides the levels; Microsoft.Extensions.Logging's own Information floor would otherwise
        // swallow a Serilog:MinimumLevel of Debug without a word.
        logging.SetMinimumLevel(LogLevel.Trace);
        logging.AddSerilog(logger, dispose: true);
        return logging;
    }
}
