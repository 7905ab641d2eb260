using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace JobPlatform.Hosting;

/// <summary>
/// Writes each event to a <see cref="TextWriter"/> in one call: formatted into a buffer first, so that on an
/// auto-flushing stdout a JSON line is one write, never interleaved with another thread's line.
/// </summary>
internal sealed class LineWriterSink(ITextFormatter formatter, TextWriter output) : ILogEventSink
{
    private readonly StringWriter _buffer = new(System.Globalization.CultureInfo.InvariantCulture);
    private readonly Lock _gate = new();

    public void Emit(LogEvent logEvent)
    {
        lock (_gate)
        {
            _buffer.GetStringBuilder().Clear();
            formatter.Format(logEvent, _buffer);
            output.Write(_buffer.ToString());
            output.Flush();
        }
    }
}
