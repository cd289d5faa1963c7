using Slipway.Web.Components.Shared;

namespace Slipway.Web.Pages.Models;

/// <summary>Builds registry search filters from names a user or the registry gave.</summary>
public static class RegistryFilter
{
    /// <summary>
    /// A quoted string literal for the filter language (<see cref="SearchQuoting.QuoteString"/>): quote marks are
    /// doubled; null only for text the tokenizer cannot read back (a backslash before both quote kinds, or at the end).
    /// </summary>
    public static string? Quote(string text) => SearchQuoting.QuoteString(text);

    /// <summary>The filter that selects the versions of model <paramref name="name"/>, or null when it cannot be written.</summary>
    public static string? VersionsOf(string name) => Quote(name) is { } quoted ? "name = " + quoted : null;
}
