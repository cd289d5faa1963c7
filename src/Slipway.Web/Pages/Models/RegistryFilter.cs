namespace Slipway.Web.Pages.Models;

/// <summary>Builds registry search filters from names a user or the registry gave.</summary>
public static class RegistryFilter
{
    /// <summary>
    /// A quoted string literal for the filter language, which has no escapes: the text is quoted with whichever
    /// quote mark it does not contain. Null when it contains both, which no filter can express.
    /// </summary>
    public static string? Quote(string text) =>
        !text.Contains('\'') ? $"'{text}'"
        : !text.Contains('"') ? $"\"{text}\""
        : null;
}
