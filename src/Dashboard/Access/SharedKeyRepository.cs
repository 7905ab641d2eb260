using System.Xml.Linq;
using JobPlatform.Core.Audit;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace JobPlatform.Dashboard.Access;

/// <summary>
/// ASP.NET Core's key ring for the sign-in cookie and antiforgery tokens, kept in PostgreSQL so that every
/// dashboard replica reads the same keys (a replica keeping its own would reject the others' cookies).
/// </summary>
internal sealed class SharedKeyRepository(SharedKeyStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() =>
        store.ListAsync().GetAwaiter().GetResult().Select(XElement.Parse).ToList();

    public void StoreElement(XElement element, string friendlyName) =>
        store.StoreAsync(friendlyName, element.ToString(SaveOptions.DisableFormatting)).GetAwaiter().GetResult();
}
