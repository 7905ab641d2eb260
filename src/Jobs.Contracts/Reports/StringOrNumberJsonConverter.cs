using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace JobPlatform.Jobs;

/// <summary>Reads an id given as a JSON string or a whole number (<c>"42"</c> or <c>42</c>) into a string, so callers
/// need not know whether the billing tables key customers by bigint or UUID. Writes a string.</summary>
internal sealed class StringOrNumberJsonConverter : JsonConverter<string?>
{
    public override bool HandleNull => true;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number when reader.TryGetInt64(out var n) => n.ToString(CultureInfo.InvariantCulture),
            _ => throw new JsonException($"Expected a string or a whole number, found {reader.TokenType}."),
        };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}
