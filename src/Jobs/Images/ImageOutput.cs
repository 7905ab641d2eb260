namespace JobPlatform.Jobs.Images;

/// <summary>One encoded output, ready to be written to <paramref name="Destination"/>.</summary>
internal sealed record ImageOutput(string Destination, int Width, int Height, byte[] Bytes);
