using System.Globalization;

namespace JobPlatform.Jobs.Billing;

/// <summary>Formats amounts held in integer minor units for people (receipts).</summary>
internal static class Money
{
    // ISO 4217 currencies whose minor unit is not the cent.
    private static readonly HashSet<string> ZeroDecimal = new(StringComparer.Ordinal)
    {
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
    };

    private static readonly HashSet<string> ThreeDecimal = new(StringComparer.Ordinal) { "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND" };

    /// <summary><c>1999, "EUR"</c> → <c>19.99 EUR</c>; <c>500, "JPY"</c> → <c>500 JPY</c>.</summary>
    public static string Format(long amountMinor, string currency)
    {
        var decimals = ZeroDecimal.Contains(currency) ? 0 : ThreeDecimal.Contains(currency) ? 3 : 2;
        var major = amountMinor / (decimal)Math.Pow(10, decimals);
        return major.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + " " + currency;
    }
}
