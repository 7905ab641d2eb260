using System.Diagnostics;
using JobPlatform.Core;
using JobPlatform.TestSupport;

namespace JobPlatform.Jobs.Tests.Images;

/// <summary>Hostile images through a real worker process: discarded with clear errors, and the same process goes
/// on to thumbnail a good image.</summary>
public sealed class ImageWorkerProcessTests : IDisposable
{
    private const string WorkerId = "images-worker";
    private readonly string _root = Directory.CreateTempSubdirectory("jobplatform-images-worker-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_bomb_a_truncated_jpeg_and_a_fake_are_discarded_and_the_same_worker_then_thumbnails_a_good_image()
    {
        Directory.CreateDirectory(Path.Combine(_root, "in"));
        TestImages.Bomb(Path.Combine(_root, "in/bomb.png"), side: 30_000);
        TestImages.Jpeg(Path.Combine(_root, "in/good.jpg"), 1600, 1200);
        File.WriteAllBytes(Path.Combine(_root, "in/truncated.jpg"), TestImages.Truncated(Path.Combine(_root, "in/good.jpg")));
        File.WriteAllText(Path.Combine(_root, "in/fake.jpg"), "plain text pretending to be a JPEG\n");

        await using var db = await TestDatabase.CreateAsync();
        var (worker, port) = WorkerProcess.Start(db.ConnectionString, db.Schema, WorkerId, concurrency: 2,
            new Dictionary<string, string> { ["Blobs__Root"] = _root });
        using (worker)
        {
            await worker.WaitReadyAsync(port, TimeSpan.FromSeconds(60));
            var client = db.CreateClient();

            var bomb = await client.EnqueueAsync(new ImageThumbnailArgs { Source = "in/bomb.png", Destination = "out/bomb.webp", Width = 320 });
            var truncated = await client.EnqueueAsync(new ImageThumbnailArgs { Source = "in/truncated.jpg", Destination = "out/truncated.webp", Width = 320 });
            var fake = await client.EnqueueAsync(new ImageTransformArgs { Source = "in/fake.jpg", Destination = "out/fake.png", Operations = [new() { Op = "grayscale" }] });

            var bombJob = await WaitAsync(client, bomb.Id, JobState.Discarded, worker);
            var truncatedJob = await WaitAsync(client, truncated.Id, JobState.Discarded, worker);
            var fakeJob = await WaitAsync(client, fake.Id, JobState.Discarded, worker);

            Assert.Contains("Image 'in/bomb.png' is 30,000 × 30,000 = 900,000,000 pixels; the limit is 100,000,000 (Images:MaxInputPixels)", Single(bombJob));
            Assert.Contains("Image 'in/truncated.jpg' could not be processed (corrupt, truncated or unsupported)", Single(truncatedJob));
            Assert.Contains("Image 'in/fake.jpg' (35 bytes) is not an image libvips can read", Single(fakeJob));

            // The same process, still alive, does good work afterwards.
            var good = await client.EnqueueAsync(new ImageThumbnailArgs { Source = "in/good.jpg", Destination = "out/good-{width}.webp", Widths = [160, 320] });
            var goodJob = await WaitAsync(client, good.Id, JobState.Completed, worker);

            using (var process = Process.GetProcessById(worker.Pid))
            {
                Assert.False(process.HasExited, "the worker process must survive hostile images");
            }

            Assert.All(new[] { bombJob, truncatedJob, fakeJob, goodJob }, j => Assert.Equal(WorkerId, j.AttemptedBy));
            Assert.All(new[] { bombJob, truncatedJob, fakeJob }, j => Assert.Equal(1, j.Attempt));
            var header = TestImages.ReadHeader(Path.Combine(_root, "out/good-320.webp"));
            Assert.Equal((320, 240), (header.Width, header.Height));
            Assert.Equal(160, TestImages.ReadHeader(Path.Combine(_root, "out/good-160.webp")).Width);
            Assert.False(File.Exists(Path.Combine(_root, "out/bomb.webp")));
            Assert.False(File.Exists(Path.Combine(_root, "out/truncated.webp")));
        }
    }

    [Fact]
    public async Task The_worker_runs_libvips_from_the_NuGet_native_package_and_no_image_library_of_the_system()
    {
        Directory.CreateDirectory(Path.Combine(_root, "in"));
        TestImages.Jpeg(Path.Combine(_root, "in/good.jpg"), 320, 240);

        await using var db = await TestDatabase.CreateAsync();
        var (worker, port) = WorkerProcess.Start(db.ConnectionString, db.Schema, WorkerId, concurrency: 1,
            new Dictionary<string, string> { ["Blobs__Root"] = _root });
        using (worker)
        {
            await worker.WaitReadyAsync(port, TimeSpan.FromSeconds(60));
            var client = db.CreateClient();
            var job = await client.EnqueueAsync(new ImageThumbnailArgs { Source = "in/good.jpg", Destination = "out/good.webp", Width = 160 });
            await WaitAsync(client, job.Id, JobState.Completed, worker);

            // What the dynamic loader really mapped into the running worker, whatever the machine has installed.
            var mapped = File.ReadAllLines($"/proc/{worker.Pid}/maps")
                .Select(line => line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
                .Where(fields => fields.Length == 6 && fields[5].StartsWith('/'))
                .Select(fields => fields[5])
                .Distinct()
                .ToList();
            var workerDir = Path.GetDirectoryName(Path.GetFullPath(ProductPaths.WorkerDll))!;

            var vips = Assert.Single(mapped, path => Path.GetFileName(path).StartsWith("libvips", StringComparison.Ordinal));
            Assert.Equal(Path.Combine(workerDir, "runtimes", "linux-x64", "native", "libvips.so.42"), vips);
            string[] systemImageLibraries = ["libglib-2.0", "libgobject-2.0", "libjpeg", "libpng", "libspng", "libwebp", "libheif", "libtiff", "libgif"];
            Assert.DoesNotContain(mapped, path => systemImageLibraries.Any(name => Path.GetFileName(path).StartsWith(name, StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task A_bad_image_setting_fails_the_worker_start_naming_the_key()
    {
        await using var db = await TestDatabase.CreateAsync();
        var (worker, _) = WorkerProcess.Start(db.ConnectionString, db.Schema, WorkerId, concurrency: 1,
            new Dictionary<string, string> { ["Blobs__Root"] = _root, ["Images__MaxInputPixels"] = "0" });
        using (worker)
        {
            var exit = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));

            Assert.NotEqual(0, exit);
            Assert.Contains("Images:MaxInputPixels must be a positive number of pixels", worker.Output);
        }
    }

    private static string Single(Job job) => Assert.Single(job.Errors).Message ?? "";

    private static async Task<Job> WaitAsync(JobClient client, Guid id, JobState state, ChildProcess worker)
    {
        Job? job = null;
        await TestDatabase.WaitUntilAsync(async () =>
        {
            job = await client.GetAsync(id);
            return job?.State == state;
        }, TimeSpan.FromSeconds(60), $"job {id} to be {state} (last seen: {job?.State}, errors: {string.Join(" | ", job?.Errors.Select(e => e.Message) ?? [])})\nworker output:\n{worker.Tail()}");
        return job!;
    }
}
