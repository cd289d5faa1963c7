using Microsoft.AspNetCore.Components;

namespace Slipway.Web.Components.Shared;

/// <summary>Reads the values of form events the same way everywhere.</summary>
public static class UiInput
{
    /// <summary>Whether a checkbox's change event says checked: Blazor passes a bool, some browsers a "true" string.</summary>
    public static bool IsChecked(ChangeEventArgs e) =>
        e.Value is true || string.Equals(e.Value?.ToString(), "true", StringComparison.OrdinalIgnoreCase);
}
