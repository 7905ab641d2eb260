using System.CommandLine;
using JobPlatform.Cli.Bench;
using JobPlatform.Cli.Output;

namespace JobPlatform.Cli.Commands;

/// <summary><c>jobctl bench</c>: enqueue, work and pickup-latency figures from a scratch schema.</summary>
internal sealed class BenchCommand : CliCommand
{
    private readonly Option<int?> _jobs = ValueOptions.Integer("--jobs", $"Jobs to enqueue and work off, 1 to {BenchLimits.MaxJobs:N0} [default: {BenchLimits.DefaultJobs:N0}]");
    private readonly Option<int?> _concurrency = ValueOptions.Integer("--concurrency", $"Engine concurrency, 1 to {BenchLimits.MaxConcurrency:N0} [default: {BenchLimits.DefaultConcurrency:N0}]");
    private readonly Option<int?> _rate = ValueOptions.Integer("--rate", $"Latency probes per second, 1 to {BenchLimits.MaxRate:N0} [default: {BenchLimits.DefaultRate}]");
    private readonly Option<double?> _latencySeconds = ValueOptions.Number("--latency-seconds", $"How long to probe pickup latency, 0 (skip) to {BenchLimits.MaxLatencySeconds:0} [default: {BenchLimits.DefaultLatencySeconds:0}]", "seconds");
    private readonly Option<int?> _batch = ValueOptions.Integer("--batch", $"Jobs per bulk insert, 1 to {BenchLimits.MaxBatch:N0} [default: {BenchLimits.DefaultBatch:N0}]");
    private readonly Option<int?> _producers = ValueOptions.Integer("--producers", $"Concurrent producers of the single-enqueue phase, 1 to {BenchLimits.MaxProducers} [default: {BenchLimits.DefaultProducers}]");
    private readonly Option<double?> _singleSeconds = ValueOptions.Number("--single-seconds", $"How long single enqueues run, 0 (skip) to {BenchLimits.MaxSingleSeconds:0} [default: {BenchLimits.DefaultSingleSeconds:0}]", "seconds");
    private readonly Option<int?> _idleWorkers = ValueOptions.Integer("--idle-workers", $"Idle engines whose queries are counted, 1 to {BenchLimits.MaxIdleWorkers} [default: {BenchLimits.DefaultIdleWorkers}]");
    private readonly Option<double?> _idleSeconds = ValueOptions.Number("--idle-seconds", $"How long idle queries are counted, 0 (skip) to {BenchLimits.MaxIdleSeconds:0} [default: {BenchLimits.DefaultIdleSeconds:0}]", "seconds");
    private readonly Option<int?> _prefillFinished = ValueOptions.Integer("--prefill-finished", $"Completed jobs written first as retained history, 0 to {BenchLimits.MaxPrefillFinished:N0} [default: 0]");
    private readonly Option<string?> _benchSchema = new("--bench-schema") { Description = "Scratch schema, created and dropped by the run [default: <schema>_bench]", HelpName = "name" };
    private readonly Option<bool> _keep = new("--keep") { Description = "Keep the scratch schema and its jobs at the end" };
    private readonly Option<bool> _noHandOff = new("--no-hand-off") { Description = "Run the engine without direct hand-off (pickups through NOTIFY and a lease), to see what it buys" };
    private readonly Option<bool> _trace = new("--trace") { Description = "Record every activity of the engine (enqueues, runs) with a listener that samples everything, to see what tracing costs" };
    private readonly Option<bool> _json = CommonOptions.Json(
        "Print one JSON line: jobs, enqueue_per_s, enqueue_single_per_s, work_per_s, work_slowest_window_ratio, pickup_p50_ms, pickup_p99_ms, idle_queries_per_s, rss_mb, prefilled_finished");

    public BenchCommand(CliContext context, GlobalOptions global)
        : base("bench",
            "Measure enqueue rates, work rate and its decay, pickup latency, idle cost and memory with the real engine, in a scratch schema that real queues never see",
            context, global)
    {
        Options.Add(_jobs);
        Options.Add(_concurrency);
        Options.Add(_rate);
        Options.Add(_latencySeconds);
        Options.Add(_batch);
        Options.Add(_producers);
        Options.Add(_singleSeconds);
        Options.Add(_idleWorkers);
        Options.Add(_idleSeconds);
        Options.Add(_prefillFinished);
        Options.Add(_benchSchema);
        Options.Add(_keep);
        Options.Add(_noHandOff);
        Options.Add(_trace);
        Options.Add(_json);
    }

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var settings = new BenchSettings
        {
            Jobs = InRange(parse.GetValue(_jobs) ?? BenchLimits.DefaultJobs, 1, BenchLimits.MaxJobs, "--jobs"),
            Concurrency = InRange(parse.GetValue(_concurrency) ?? BenchLimits.DefaultConcurrency, 1, BenchLimits.MaxConcurrency, "--concurrency"),
            Rate = InRange(parse.GetValue(_rate) ?? BenchLimits.DefaultRate, 1, BenchLimits.MaxRate, "--rate"),
            LatencySeconds = InRange(parse.GetValue(_latencySeconds) ?? BenchLimits.DefaultLatencySeconds, 0, BenchLimits.MaxLatencySeconds, "--latency-seconds"),
            Batch = InRange(parse.GetValue(_batch) ?? BenchLimits.DefaultBatch, 1, BenchLimits.MaxBatch, "--batch"),
            Producers = InRange(parse.GetValue(_producers) ?? BenchLimits.DefaultProducers, 1, BenchLimits.MaxProducers, "--producers"),
            SingleSeconds = InRange(parse.GetValue(_singleSeconds) ?? BenchLimits.DefaultSingleSeconds, 0, BenchLimits.MaxSingleSeconds, "--single-seconds"),
            IdleWorkers = InRange(parse.GetValue(_idleWorkers) ?? BenchLimits.DefaultIdleWorkers, 1, BenchLimits.MaxIdleWorkers, "--idle-workers"),
            IdleSeconds = InRange(parse.GetValue(_idleSeconds) ?? BenchLimits.DefaultIdleSeconds, 0, BenchLimits.MaxIdleSeconds, "--idle-seconds"),
            PrefillFinished = InRange(parse.GetValue(_prefillFinished) ?? 0, 0, BenchLimits.MaxPrefillFinished, "--prefill-finished"),
            Keep = parse.GetValue(_keep),
            NoHandOff = parse.GetValue(_noHandOff),
            Trace = parse.GetValue(_trace),
        };
        var target = Global.ResolveTarget(parse, Context);
        var schema = parse.GetValue(_benchSchema) ?? target.Schema + "_bench";
        if (schema == target.Schema)
        {
            throw new CliUsageException($"--bench-schema '{schema}' is the --schema in use; the benchmark drops its schema, so name another.");
        }

        await using var db = target.WithSchema(schema, "--bench-schema").Connect();
        using var tracing = settings.Trace ? new BenchTracing() : null;
        var result = await new BenchRunner(db, settings, message => Context.Err.WriteLine($"bench: {message}"))
            .RunAsync(cancellationToken).ConfigureAwait(false);
        if (tracing is not null)
        {
            Context.Err.WriteLine($"bench: traced {tracing.Stopped:N0} activities");
        }
        if (parse.GetValue(_json))
        {
            JsonOutput.Write(Context.Out, w => BenchOutput.WriteJson(w, result));
        }
        else
        {
            Context.OutConsole.Write(BenchOutput.Table(result, settings));
        }

        return ExitCodes.Ok;
    }

    private static T InRange<T>(T value, T min, T max, string option) where T : IComparable<T> =>
        value.CompareTo(min) >= 0 && value.CompareTo(max) <= 0
            ? value
            : throw new CliUsageException($"{option} {value} is out of range: use {min:N0} to {max:N0}.");
}
