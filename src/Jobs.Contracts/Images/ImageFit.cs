namespace JobPlatform.Jobs;

/// <summary>How a resize treats a box of width × height.</summary>
public static class ImageFit
{
    /// <summary>Keep the aspect ratio and fit inside the box (the default); without a height only the width counts.</summary>
    public const string Inside = "inside";

    /// <summary>Fill the box exactly, cropping the centre of what overflows; needs a height.</summary>
    public const string Cover = "cover";
}
