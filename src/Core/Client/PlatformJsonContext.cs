using System.Text.Json;
using System.Text.Json.Serialization;

namespace JobPlatform.Core;

/// <summary>Source-generated serialization for the platform's own JSON: built-in args, error entries, alert messages.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(NoopArgs))]
[JsonSerializable(typeof(JobError))]
[JsonSerializable(typeof(List<JobError>))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(Alerts.AlertMessage))]
internal sealed partial class PlatformJsonContext : JsonSerializerContext;
