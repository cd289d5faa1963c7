using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Http;
using Slipway.Security.Ui;

namespace Slipway.Web.Components.Layout;

/// <summary>
/// A page's Content-Security-Policy belongs to the document it was loaded in, and only documents opened at a page
/// with WebGL charts may run plotly.js's compiled drawing code (<see cref="UiSecurityHeaders.NeedsEval"/>). So an
/// in-app navigation from a strict document to such a page becomes a full page load, which gets the policy that page
/// needs; every other navigation stays in the document.
/// </summary>
public sealed class ChartPolicyGuard : ComponentBase, IDisposable
{
    private IDisposable? _registration;
    private bool _reloading;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    /// <summary>Whether this document was served with the WebGL charts policy.</summary>
    [Parameter] public bool DocumentAllowsEval { get; set; }

    protected override void OnInitialized() => _registration = Navigation.RegisterLocationChangingHandler(OnLocationChanging);

    private ValueTask OnLocationChanging(LocationChangingContext context)
    {
        if (DocumentAllowsEval || _reloading || !NeedsEval(context.TargetLocation))
            return ValueTask.CompletedTask;
        context.PreventNavigation();
        _reloading = true;
        _ = ReloadAsync(context.TargetLocation);
        return ValueTask.CompletedTask;
    }

    private async Task ReloadAsync(string target)
    {
        // After the handler has returned: a navigation started inside it would race the one it just cancelled.
        await Task.Yield();
        Navigation.NavigateTo(target, forceLoad: true);
    }

    private bool NeedsEval(string target)
    {
        var relative = Navigation.ToBaseRelativePath(Navigation.ToAbsoluteUri(target).GetLeftPart(UriPartial.Path));
        return UiSecurityHeaders.NeedsEval(new PathString("/" + relative));
    }

    public void Dispose() => _registration?.Dispose();
}
