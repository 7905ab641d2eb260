using System.ComponentModel.DataAnnotations;

namespace JobPlatform.Jobs.Blobs;

/// <summary>Settings of the filesystem blob store (section <c>Blobs</c>).</summary>
public sealed class BlobStoreOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Blobs";

    /// <summary>The default root, relative to the working directory.</summary>
    public const string DefaultRoot = ".data/blobs";

    /// <summary>The directory holding every blob (<c>Blobs:Root</c>); created when missing.</summary>
    [Required]
    public string Root { get; set; } = DefaultRoot;
}
