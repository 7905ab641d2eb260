namespace JobPlatform.Jobs.Images;

/// <summary>Validated <see cref="ImageThumbnailArgs"/>: one destination per width, the box height (or none) and
/// how to save.</summary>
internal sealed record ThumbnailPlan(string Source, IReadOnlyList<(int Width, string Destination)> Outputs, int? Height, bool Cover, string SaveSuffix);
