using System.Text.Json;
using System.Text.Json.Serialization;

namespace JobPlatform.Core.Processing;

/// <summary>Source-generated serialization for the platform's own JSON: built-in args and error entries.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(NoopArgs))]
[JsonSerializable(typeof(JobError))]
[JsonSerializable(typeof(List<JobError>))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class PlatformJsonContext : JsonSerializerContext;
