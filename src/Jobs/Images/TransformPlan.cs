namespace JobPlatform.Jobs.Images;

/// <summary>Validated <see cref="ImageTransformArgs"/>.</summary>
internal sealed record TransformPlan(string Source, string Destination, IReadOnlyList<ImageOperation> Operations, string SaveSuffix);
