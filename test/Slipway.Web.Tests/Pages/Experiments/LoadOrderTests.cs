using Slipway.Web.Components.Shared;

namespace Slipway.Web.Tests.Pages.Experiments;

/// <summary>Loads that overlap: only the latest may show its result, and the pager moves only after a page loaded.</summary>
public sealed class LoadOrderTests
{
    [Fact]
    public void LoadGuard_NewerLoad_CancelsAndOutdatesTheEarlierOne()
    {
        using var guard = new LoadGuard();
        var first = guard.Begin();
        var second = guard.Begin();

        Assert.True(first.Token.IsCancellationRequested);
        Assert.False(guard.IsCurrent(first));
        Assert.False(guard.End(first)); // the slow first answer arrives last: dropped
        Assert.True(guard.IsLoading);
        Assert.True(guard.End(second));
        Assert.False(guard.IsLoading);
        Assert.False(second.Token.IsCancellationRequested);
    }

    [Fact]
    public void LoadGuard_Dispose_CancelsTheRunningLoadAndDropsItsResult()
    {
        var guard = new LoadGuard();
        var ticket = guard.Begin();
        guard.Dispose();
        Assert.True(ticket.Token.IsCancellationRequested);
        Assert.False(guard.End(ticket));
    }

    [Fact]
    public async Task PageTokens_FailedLoad_StaysOnThePageShown()
    {
        var tokens = new PageTokens();
        Assert.False(await tokens.NextAsync("p2", _ => Task.FromResult(false)));
        Assert.Equal(1, tokens.PageNumber);
        Assert.Null(tokens.Current);
        Assert.False(tokens.HasPrevious);
    }

    [Fact]
    public async Task PageTokens_NextThenPrevious_LoadsEachTokenAndMovesAfterSuccess()
    {
        var tokens = new PageTokens();
        var loaded = new List<string?>();
        Task<bool> Load(string? token)
        {
            loaded.Add(token);
            return Task.FromResult(true);
        }

        Assert.True(await tokens.NextAsync("p2", Load));
        Assert.True(await tokens.NextAsync("p3", Load));
        Assert.Equal(("p3", 3), (tokens.Current, tokens.PageNumber));
        Assert.True(await tokens.PreviousAsync(Load));
        Assert.Equal(("p2", 2), (tokens.Current, tokens.PageNumber));
        Assert.False(await tokens.PreviousAsync(_ => Task.FromResult(false)));
        Assert.Equal(2, tokens.PageNumber);
        Assert.Equal(["p2", "p3", "p2"], loaded);
    }

    [Fact]
    public async Task PageTokens_SecondClickWhileLoading_IsIgnored()
    {
        var tokens = new PageTokens();
        var release = new TaskCompletionSource<bool>();
        var firstClick = tokens.NextAsync("p2", _ => release.Task);
        Assert.True(tokens.IsMoving);

        Assert.False(await tokens.NextAsync("p2", _ => Task.FromResult(true))); // double click on Next
        release.SetResult(true);
        Assert.True(await firstClick);
        Assert.Equal(2, tokens.PageNumber); // one page on, not two
        Assert.False(tokens.IsMoving);
    }
}
