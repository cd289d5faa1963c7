using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Grpc.Core;

namespace Slipway.Security.Tests.Matrix;

/// <summary>
/// Runs one recipe against a fixture: its setup, then the calls its access asks for, each checked against the answer the
/// route owes that caller, then its cleanup. Problems are collected rather than thrown one by one, so a failing route
/// reports everything that is wrong with it at once.
/// </summary>
public sealed partial class RecipeRun(MatrixFixture fixture, RouteRecipe recipe)
{
    private readonly List<string> _problems = [];
    private IReadOnlyDictionary<string, string> _values = new Dictionary<string, string>();

    public IReadOnlyList<string> Problems => _problems;

    /// <summary>With authentication on: anonymous, the caller without permission, then the permitted caller.</summary>
    public async Task CheckAllCallersAsync()
    {
        await PrepareAsync();
        var permitted = PermittedCaller(recipe.Access);
        var created = new Dictionary<string, string>();
        if (recipe.Access is RouteAccess.Anonymous)
        {
            await ExpectSuccessAsync(Caller.Anonymous, created);
        }
        else
        {
            await ExpectUnauthenticatedAsync();
            if (recipe.Access is RouteAccess.Resource or RouteAccess.Admin)
                await ExpectDeniedAsync(Caller.Bob);
            if (recipe.Access is RouteAccess.List)
                await ExpectListAsync(Caller.Bob, shows: false);
            if (recipe.Access == RouteAccess.List)
                await ExpectListAsync(permitted, shows: true);
            else
                await ExpectSuccessAsync(permitted, created);
        }
        await CleanupAsync(created);
    }

    /// <summary>With authentication off: only the permitted call, which must succeed (proving the recipe itself right).</summary>
    public async Task CheckPermittedCallAsync()
    {
        await PrepareAsync();
        var created = new Dictionary<string, string>();
        var caller = recipe.Access is RouteAccess.Anonymous or RouteAccess.UiPage ? Caller.Anonymous : PermittedCaller(recipe.Access);
        if (recipe.Access == RouteAccess.List)
            await ExpectListAsync(caller, shows: true);
        else
            await ExpectSuccessAsync(caller, created);
        await CleanupAsync(created);
    }

    /// <summary>Who succeeds on a route of this access: the owner, the admin, carol for creations, bob where any user may.</summary>
    public static Caller PermittedCaller(RouteAccess access) => access switch
    {
        RouteAccess.Resource or RouteAccess.List => Caller.Alice,
        RouteAccess.Admin => Caller.Admin,
        RouteAccess.Creates => Caller.Carol,
        RouteAccess.Anonymous => Caller.Anonymous,
        _ => Caller.Bob,
    };

    private async Task PrepareAsync()
    {
        if (recipe.Setup is not null)
            _values = await recipe.Setup(fixture);
    }

    private async Task CleanupAsync(Dictionary<string, string> created)
    {
        if (recipe.Cleanup is null)
            return;
        try
        {
            await recipe.Cleanup(fixture, created);
        }
        catch (Xunit.Sdk.XunitException e)
        {
            _problems.Add("cleanup: " + e.Message);
        }
    }

    private async Task ExpectSuccessAsync(Caller caller, Dictionary<string, string> created)
    {
        if (recipe.IsGrpc)
        {
            var (status, detail) = await MatrixGrpc.CallAsync(fixture, recipe.Target["grpc:".Length..], caller);
            var expected = recipe.Status == 200 ? StatusCode.OK : (StatusCode)recipe.Status;
            if (status != expected)
                _problems.Add($"{MatrixFixture.NameOf(caller)}: expected {expected}, got {status}: {detail}");
            return;
        }
        var body = recipe.Body is null ? null : fixture.Expand(recipe.Body, _values);
        var (response, text) = await SendAsync(caller, body);
        using (response)
        {
            if ((int)response.StatusCode != recipe.Status)
                _problems.Add($"{MatrixFixture.NameOf(caller)}: expected {recipe.Status}, got {Describe(response, text)}");
            else if (body is not null && CreatedName().Match(body) is { Success: true } name)
                created["created"] = name.Value;
        }
    }

    private async Task ExpectListAsync(Caller caller, bool shows)
    {
        var (response, text) = await SendAsync(caller, recipe.Body is null ? null : fixture.Expand(recipe.Body, _values));
        using (response)
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                _problems.Add($"{MatrixFixture.NameOf(caller)}: expected 200, got {Describe(response, text)}");
                return;
            }
        }
        if (recipe.Hidden is null)
            return;
        var hidden = fixture.Expand(recipe.Hidden, _values);
        if (text.Contains(hidden, StringComparison.Ordinal) != shows)
            _problems.Add($"{MatrixFixture.NameOf(caller)}: the list {(shows ? "leaves out" : "shows")} alice's '{hidden}': {MatrixFixture.Shorten(text)}");
    }

    private async Task<(HttpResponseMessage Response, string Body)> SendAsync(Caller caller, string? body) =>
        await fixture.SendAsync(caller, recipe.SentMethod, fixture.Expand(recipe.Target, _values), body, body is null ? BodyKind.None : recipe.BodyKind,
            browser: recipe.Browser || recipe.Access == RouteAccess.UiPage);

    private static string Describe(HttpResponseMessage response, string text) =>
        $"{(int)response.StatusCode} {response.Content.Headers.ContentType}{(response.Headers.Location is { } location ? " → " + location : "")}: {MatrixFixture.Shorten(text)}";

    /// <summary>The name of what a creating recipe made (its names start <c>matrix-carol-</c>), for the cleanup.</summary>
    [GeneratedRegex("matrix-carol-[0-9a-f]{12}")]
    private static partial Regex CreatedName();
}
