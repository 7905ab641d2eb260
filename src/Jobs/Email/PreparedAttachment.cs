namespace JobPlatform.Jobs.Email;

/// <summary>An attachment read from the blob store, held in memory so each send try can build a fresh message.</summary>
internal sealed record PreparedAttachment(string FileName, string ContentType, byte[] Content);
