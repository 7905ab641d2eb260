namespace JobPlatform.Jobs.Tests.Email;

/// <summary>One leaf part of a received message.</summary>
internal sealed record ReceivedPart(string ContentType, string? FileName, bool IsAttachment, string? Text, string? Base64)
{
    public byte[] Bytes => Base64 is null ? System.Text.Encoding.UTF8.GetBytes(Text ?? string.Empty) : Convert.FromBase64String(Base64);
}
