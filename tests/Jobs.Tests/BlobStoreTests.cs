using System.Text;
using JobPlatform.Jobs.Blobs;

namespace JobPlatform.Jobs.Tests;

public sealed class BlobStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("jobplatform-blobs-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Write_then_read_round_trips_and_creates_folders()
    {
        var store = new FileSystemBlobStore(_root);
        await store.WriteAsync("out/2026/cat.txt", new MemoryStream(Encoding.UTF8.GetBytes("meow")));

        await using var read = await store.OpenReadAsync("out/2026/cat.txt");
        Assert.Equal("meow", await new StreamReader(read).ReadToEndAsync());
        Assert.Equal(4, (await store.GetInfoAsync("out/2026/cat.txt"))!.Length);
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "out/2026"), "*.tmp"));
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("in/../../secret")]
    [InlineData("/etc/passwd")]
    [InlineData("in//cat.jpg")]
    [InlineData("in/./cat.jpg")]
    [InlineData("in\\..\\cat.jpg")]
    [InlineData("in/cat.jpg\0")]
    [InlineData("")]
    public async Task Keys_that_could_escape_the_root_are_refused(string key)
    {
        var store = new FileSystemBlobStore(_root);
        await Assert.ThrowsAsync<ArgumentException>(() => store.OpenReadAsync(key));
        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteAsync(key, new MemoryStream([1])));
    }

    [Fact]
    public async Task A_symbolic_link_out_of_the_root_is_not_followed()
    {
        var outside = Directory.CreateTempSubdirectory("jobplatform-outside-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(outside, "secret.txt"), "secret");
            Directory.CreateSymbolicLink(Path.Combine(_root, "escape"), outside);
            var store = new FileSystemBlobStore(_root);

            var e = await Assert.ThrowsAsync<ArgumentException>(() => store.OpenReadAsync("escape/secret.txt"));
            Assert.Contains("outside the blob store root", e.Message);
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public async Task A_blob_replaced_after_its_size_was_checked_is_never_read_past_that_size()
    {
        var store = new FileSystemBlobStore(_root);
        await store.WriteAsync("in/a.bin", new MemoryStream(new byte[10]));
        var info = (await store.GetInfoAsync("in/a.bin"))!;

        Assert.Equal(10, (await store.ReadExactlyAsync(info)).Length);

        await store.WriteAsync("in/a.bin", new MemoryStream(new byte[5000]));
        var e = await Assert.ThrowsAsync<IOException>(() => store.ReadExactlyAsync(info));
        Assert.Contains("changed size while being read", e.Message);
    }

    [Fact]
    public async Task A_missing_blob_names_its_key()
    {
        var store = new FileSystemBlobStore(_root);
        var e = await Assert.ThrowsAsync<BlobNotFoundException>(() => store.OpenReadAsync("in/none.jpg"));
        Assert.Contains("in/none.jpg", e.Message);
        Assert.Null(await store.GetInfoAsync("in/none.jpg"));
        Assert.False(await store.DeleteAsync("in/none.jpg"));
    }
}
