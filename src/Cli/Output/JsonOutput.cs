using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace JobPlatform.Cli.Output;

/// <summary>Writes one JSON document per command as a single line on stdout.</summary>
internal static class JsonOutput
{
    private static readonly JsonWriterOptions Options = new()
    {
        // Output for terminals and jq, never embedded in HTML: keep non-ASCII text and quotes readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(TextWriter output, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
