using System.Diagnostics.Metrics;

namespace JobPlatform.Hosting.Tests;

public sealed class PrometheusMetricsTests
{
    [Fact]
    public void Counter_gets_total_suffix_help_type_and_sorted_escaped_labels()
    {
        using var t = new TestMeter();
        var counter = t.Meter.CreateCounter<long>("jobplatform.jobs.finished", unit: "{job}", description: "Attempts finished.\nBy outcome \\ queue.");
        counter.Add(2, new("queue", "default"), new("outcome", "odd \"value\" \\ with\nnewline"));
        counter.Add(3, new("outcome", "odd \"value\" \\ with\nnewline"), new("queue", "default")); // same tags, other order: same series
        counter.Add(1, new("queue", "emails"), new("outcome", "completed"));

        Assert.Equal(
        [
            "# HELP jobplatform_jobs_finished_total Attempts finished.\\nBy outcome \\\\ queue.",
            "# TYPE jobplatform_jobs_finished_total counter",
            "jobplatform_jobs_finished_total{outcome=\"completed\",queue=\"emails\"} 1",
            "jobplatform_jobs_finished_total{outcome=\"odd \\\"value\\\" \\\\ with\\nnewline\",queue=\"default\"} 5",
        ], t.Lines());
    }

    [Fact]
    public void Names_and_label_names_are_sanitized_and_total_is_not_doubled()
    {
        using var t = new TestMeter();
        t.Meter.CreateCounter<double>("http-requests.sent_total").Add(1.5, new KeyValuePair<string, object?>("job.kind", "email.send"), new("2nd", true), new("__x", null));

        var lines = t.Lines();
        Assert.Equal("# TYPE http_requests_sent_total counter", lines[0]);
        Assert.Equal("http_requests_sent_total{_2nd=\"true\",job_kind=\"email.send\",tag___x=\"\"} 1.5", lines[1]);
    }

    [Fact]
    public void Histogram_with_default_buckets_is_cumulative_with_sum_and_count()
    {
        using var t = new TestMeter();
        var histogram = t.Meter.CreateHistogram<double>("jobplatform.job.duration.seconds", unit: "s");
        foreach (var v in new[] { 0.003, 0.3, 0.5, 400 })
        {
            histogram.Record(v, new KeyValuePair<string, object?>("queue", "q"));
        }

        var lines = t.Lines();
        Assert.Equal("# TYPE jobplatform_job_duration_seconds histogram", lines[0]);
        string[] expectedBuckets =
        [
            "0.001\"} 0", "0.0025\"} 0", "0.005\"} 1", "0.01\"} 1", "0.025\"} 1", "0.05\"} 1", "0.1\"} 1", "0.25\"} 1",
            "0.5\"} 3", "1\"} 3", "2.5\"} 3", "5\"} 3", "10\"} 3", "30\"} 3", "60\"} 3", "300\"} 3", "+Inf\"} 4",
        ];
        Assert.Equal(expectedBuckets.Select(b => "jobplatform_job_duration_seconds_bucket{queue=\"q\",le=\"" + b), lines[1..18]);
        Assert.Equal("jobplatform_job_duration_seconds_sum{queue=\"q\"} 400.803", lines[18]);
        Assert.Equal("jobplatform_job_duration_seconds_count{queue=\"q\"} 4", lines[19]);
        Assert.Equal(20, lines.Length);
    }

    [Fact]
    public void Histogram_honours_advised_buckets_and_sums_integers_exactly()
    {
        using var t = new TestMeter();
        var histogram = t.Meter.CreateHistogram("jobplatform.fetch.batch_size", unit: null, description: null,
            tags: null, advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 5, 10] });
        foreach (var v in new[] { 0, 1, 2, 5, 11 })
        {
            histogram.Record(v);
        }

        Assert.Equal(
        [
            "# TYPE jobplatform_fetch_batch_size histogram",
            "jobplatform_fetch_batch_size_bucket{le=\"1\"} 2",
            "jobplatform_fetch_batch_size_bucket{le=\"5\"} 4",
            "jobplatform_fetch_batch_size_bucket{le=\"10\"} 4",
            "jobplatform_fetch_batch_size_bucket{le=\"+Inf\"} 5",
            "jobplatform_fetch_batch_size_sum 19",
            "jobplatform_fetch_batch_size_count 5",
        ], t.Lines());
    }

    [Fact]
    public void Histogram_tag_named_le_does_not_clash_with_the_bucket_label()
    {
        using var t = new TestMeter();
        t.Meter.CreateHistogram("h", unit: null, description: null, tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1] })
            .Record(0.5, new KeyValuePair<string, object?>("le", "x"));

        Assert.Contains("h_bucket{tag_le=\"x\",le=\"1\"} 1", t.Lines());
    }

    [Fact]
    public void Up_down_counter_is_a_gauge_holding_the_running_sum()
    {
        using var t = new TestMeter();
        var inFlight = t.Meter.CreateUpDownCounter<long>("jobplatform.jobs.in_flight", description: "Jobs running.");
        inFlight.Add(5, new KeyValuePair<string, object?>("queue", "default"));
        inFlight.Add(-2, new KeyValuePair<string, object?>("queue", "default"));

        Assert.Equal(["# HELP jobplatform_jobs_in_flight Jobs running.", "# TYPE jobplatform_jobs_in_flight gauge", "jobplatform_jobs_in_flight{queue=\"default\"} 3"], t.Lines());
    }

    [Fact]
    public void Gauge_keeps_the_last_value()
    {
        using var t = new TestMeter();
        var gauge = t.Meter.CreateGauge<double>("temperature");
        gauge.Record(20.5);
        gauge.Record(19.25);

        Assert.Equal(["# TYPE temperature gauge", "temperature 19.25"], t.Lines());
    }

    [Fact]
    public void Observable_gauge_is_read_at_each_scrape_and_forgets_label_sets_no_longer_reported()
    {
        using var t = new TestMeter();
        var calls = 0;
        t.Meter.CreateObservableGauge("jobplatform.queue.depth", () =>
        {
            calls++;
            return calls == 1
                ? [new Measurement<long>(10, new KeyValuePair<string, object?>("queue", "a")), new Measurement<long>(7, new KeyValuePair<string, object?>("queue", "b"))]
                : (IEnumerable<Measurement<long>>)[new Measurement<long>(4, new KeyValuePair<string, object?>("queue", "a"))];
        });

        Assert.Equal(0, calls);
        Assert.Equal(["# TYPE jobplatform_queue_depth gauge", "jobplatform_queue_depth{queue=\"a\"} 10", "jobplatform_queue_depth{queue=\"b\"} 7"], t.Lines());
        Assert.Equal(["# TYPE jobplatform_queue_depth gauge", "jobplatform_queue_depth{queue=\"a\"} 4"], t.Lines());
        Assert.Equal(2, calls);
    }

    [Fact]
    public void Observable_counter_reports_the_callbacks_cumulative_value_not_a_sum_of_scrapes()
    {
        using var t = new TestMeter();
        long total = 0;
        t.Meter.CreateObservableCounter("jobplatform.bytes.sent", () => total += 100);
        t.Meter.CreateObservableUpDownCounter("jobplatform.connections", () => 3);

        t.Lines();
        Assert.Equal(
            ["# TYPE jobplatform_bytes_sent_total counter", "jobplatform_bytes_sent_total 200", "# TYPE jobplatform_connections gauge", "jobplatform_connections 3"],
            t.Lines());
    }

    [Fact]
    public void A_failing_observable_callback_does_not_fail_the_scrape()
    {
        using var t = new TestMeter();
        t.Meter.CreateObservableGauge("broken", new Func<int>(() => throw new InvalidOperationException("boom")));
        t.Meter.CreateCounter<int>("works").Add(1);

        Assert.Equal(["# TYPE works_total counter", "works_total 1"], t.Lines());
    }

    [Fact]
    public void Concurrent_recording_from_many_threads_sums_exactly()
    {
        using var t = new TestMeter();
        var longs = t.Meter.CreateCounter<long>("c.long");
        var doubles = t.Meter.CreateCounter<double>("c.double");
        var histogram = t.Meter.CreateHistogram<double>("c.seconds");
        const int Threads = 16;
        const int PerThread = 50_000;
        using var start = new Barrier(Threads);

        var threads = Enumerable.Range(0, Threads).Select(i => new Thread(() =>
        {
            // Four label sets, first met by several threads at once, in two tag orders.
            var a = new KeyValuePair<string, object?>("a", i % 4);
            var b = new KeyValuePair<string, object?>("b", "x");
            start.SignalAndWait();
            for (var n = 0; n < PerThread; n++)
            {
                if (i % 2 == 0)
                {
                    longs.Add(1, a, b);
                }
                else
                {
                    longs.Add(1, b, a);
                }

                doubles.Add(0.5);
                histogram.Record(0.02);
            }
        })).ToList();
        threads.ForEach(th => th.Start());
        threads.ForEach(th => th.Join());

        var lines = t.Lines();
        for (var label = 0; label < 4; label++)
        {
            Assert.Contains($"c_long_total{{a=\"{label}\",b=\"x\"}} {Threads / 4 * PerThread}", lines);
        }

        Assert.Contains($"c_double_total {Threads * PerThread * 0.5}", lines);
        Assert.Contains($"c_seconds_bucket{{le=\"0.01\"}} 0", lines);
        Assert.Contains($"c_seconds_bucket{{le=\"0.025\"}} {Threads * PerThread}", lines);
        Assert.Contains($"c_seconds_count {Threads * PerThread}", lines);
        Assert.Single(lines, l => l.StartsWith("c_seconds_sum ", StringComparison.Ordinal) && Math.Abs(double.Parse(l[14..], System.Globalization.CultureInfo.InvariantCulture) - (Threads * PerThread * 0.02)) < 1e-6);
    }

    [Fact]
    public void Recording_to_a_known_label_set_allocates_nothing()
    {
        using var t = new TestMeter();
        var counter = t.Meter.CreateCounter<long>("hot.counter");
        var histogram = t.Meter.CreateHistogram<double>("hot.seconds");
        var queue = new KeyValuePair<string, object?>("queue", "default");
        var outcome = new KeyValuePair<string, object?>("outcome", "completed");
        counter.Add(1, queue, outcome);
        histogram.Record(0.1, queue);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            counter.Add(1, queue, outcome);
            histogram.Record(0.1, queue);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Contains("hot_counter_total{outcome=\"completed\",queue=\"default\"} 10001", t.Lines());
    }

    [Fact]
    public void Meters_with_other_names_are_ignored()
    {
        var id = Guid.NewGuid().ToString("N");
        using var exporter = new PrometheusMetrics();
        using var root = new Meter("JobPlatform");
        using var child = new Meter("JobPlatform.Test.Child");
        using var lookalike = new Meter("JobPlatformExtra");
        using var other = new Meter("Other.Test");
        root.CreateCounter<int>($"root.{id}").Add(1);
        child.CreateCounter<int>($"child.{id}").Add(1);
        lookalike.CreateCounter<int>($"lookalike.{id}").Add(1);
        other.CreateCounter<int>($"other.{id}").Add(1);

        var text = exporter.Render();
        Assert.Contains($"root_{id}_total 1", text);
        Assert.Contains($"child_{id}_total 1", text);
        Assert.DoesNotContain($"lookalike_{id}", text);
        Assert.DoesNotContain($"other_{id}", text);
    }

    [Fact]
    public void Instruments_of_a_disposed_meter_leave_the_exposition()
    {
        using var t = new TestMeter();
        t.Meter.CreateCounter<int>("gone").Add(1);
        Assert.NotEmpty(t.Lines());

        t.Meter.Dispose();
        Assert.Empty(t.Lines());
    }

    [Fact]
    public void Label_sets_past_the_limit_are_dropped_and_counted()
    {
        using var t = new TestMeter(maxSeries: 2);
        var counter = t.Meter.CreateCounter<int>("jobs");
        for (var i = 0; i < 5; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("id", i));
        }

        counter.Add(1, new KeyValuePair<string, object?>("id", 0)); // known label sets keep counting
        var lines = t.Lines();
        Assert.Equal(["# TYPE jobs_total counter", "jobs_total{id=\"0\"} 2", "jobs_total{id=\"1\"} 1"], lines[..3]);
        Assert.StartsWith("# jobs_total: dropped 3 measurements", lines[3]);
    }

    [Fact]
    public void Families_are_sorted_by_name()
    {
        using var t = new TestMeter();
        t.Meter.CreateCounter<int>("b").Add(1);
        t.Meter.CreateCounter<int>("a").Add(1);
        t.Meter.CreateUpDownCounter<int>("c").Add(1);

        Assert.Equal(["# TYPE a_total counter", "a_total 1", "# TYPE b_total counter", "b_total 1", "# TYPE c gauge", "c 1"], t.Lines());
    }

    [Fact]
    public void Bad_options_fail_naming_the_setting()
    {
        var e = Assert.Throws<ArgumentException>(() => new PrometheusMetrics(new PrometheusMetricsOptions { MeterPrefixes = [] }));
        Assert.Contains("MeterPrefixes", e.Message);
        e = Assert.Throws<ArgumentException>(() => new PrometheusMetrics(new PrometheusMetricsOptions { MaxSeriesPerInstrument = 0 }));
        Assert.Contains("MaxSeriesPerInstrument is 0", e.Message);
    }
}
