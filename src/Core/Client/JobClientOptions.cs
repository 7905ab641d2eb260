using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace JobPlatform.Core;

/// <summary>Settings of a <see cref="JobClient"/> (configuration section <c>JobPlatform:Client</c>).</summary>
public sealed class JobClientOptions
{
    /// <summary>Default <see cref="MaxArgsBytes"/>: 256 KiB.</summary>
    public const int DefaultMaxArgsBytes = 256 * 1024;

    /// <summary>Default queue name.</summary>
    public const string DefaultQueueName = "default";

    /// <summary>Serializer options used when none are given: web defaults, the platform's own args types
    /// through source generation, reflection for the rest.</summary>
    public static JsonSerializerOptions DefaultSerializerOptions { get; } = CreateSerializerOptions();

    /// <summary>The schema holding the job tables (<c>JobPlatform:Schema</c>); default <c>jobplatform</c>.</summary>
    public string Schema { get; set; } = Sql.SchemaName.Default;

    /// <summary>Queue for jobs whose options name none.</summary>
    public string DefaultQueue { get; set; } = DefaultQueueName;

    /// <summary>Largest serialized args accepted, in bytes (<c>JobPlatform:Client:MaxArgsBytes</c>).</summary>
    public int MaxArgsBytes { get; set; } = DefaultMaxArgsBytes;

    /// <summary>Serializer for typed args; add source-generated contexts to its resolver chain.</summary>
    public JsonSerializerOptions SerializerOptions { get; set; } = DefaultSerializerOptions;

    /// <summary>Whether inserts of immediately available jobs wake workers with NOTIFY. Turn off when every
    /// worker polls (PgBouncer in transaction mode).</summary>
    public bool Notify { get; set; } = true;

    /// <summary>Whether a single job due now may go straight to a free slot that an idle worker of its queue
    /// offers (<see cref="JobEngineOptions.HandOff"/>): it is written already leased to that worker and sent to
    /// it, and starts without the worker's lease round trip. Needs <see cref="Notify"/>.</summary>
    public bool HandOff { get; set; } = true;

    private static JsonSerializerOptions CreateSerializerOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.TypeInfoResolverChain.Add(PlatformJsonContext.Default);
        options.TypeInfoResolverChain.Add(new DefaultJsonTypeInfoResolver());
        options.MakeReadOnly();
        return options;
    }
}
