using System.Text.Json;

namespace JobPlatform.Core;

/// <summary>One job to insert, by kind name and JSON args, for callers without a typed args record
/// (the CLI, the dashboard) and for mixed batches.</summary>
/// <param name="Kind">The stable kind name.</param>
/// <param name="ArgsJson">The args as a JSON object.</param>
/// <param name="Options">Queue, priority, schedule and the rest; null for defaults.</param>
public sealed record JobInsert(string Kind, string ArgsJson, EnqueueOptions? Options = null)
{
    /// <summary>Builds an insert from typed args, serialized with <paramref name="serializerOptions"/>.</summary>
    public static JobInsert From<TArgs>(TArgs args, EnqueueOptions? options = null, JsonSerializerOptions? serializerOptions = null)
        where TArgs : IJobArgs =>
        new(TArgs.Kind, JobArgsSerializer.Serialize(args, serializerOptions ?? JobClientOptions.DefaultSerializerOptions, TArgs.Kind), options);
}
