using System.Text.Json;

namespace JobPlatform.Core;

/// <summary>Turns typed args into the JSON stored with a job, with errors that say what to fix.</summary>
internal static class JobArgsSerializer
{
    public static string Serialize<TArgs>(TArgs args, JsonSerializerOptions options, string kind)
    {
        if (args is null)
        {
            throw new JobValidationException($"Args of kind '{kind}' are null; pass an args record.");
        }

        string json;
        try
        {
            json = JsonSerializer.Serialize(args, options);
        }
        catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException or ArgumentException)
        {
            throw new JobValidationException(
                $"Args of kind '{kind}' ({typeof(TArgs).Name}) cannot be serialized to JSON: {e.Message} " +
                "Use records of JSON-friendly properties (strings, numbers, lists, nested records).", e);
        }

        return json;
    }

    public static TArgs Deserialize<TArgs>(string json, JsonSerializerOptions options, string kind) =>
        JsonSerializer.Deserialize<TArgs>(json, options)
        ?? throw new JsonException($"Args of kind '{kind}' deserialized to null.");
}
