namespace Slipway.Web.Components.Shared;

/// <summary>
/// The pager's state: the tokens of the pages before the one shown (so Previous works without counting rows) and
/// the token of the page shown. A move happens only once the page's load succeeded, and one at a time, so a failed
/// load or a double click on Next leaves the pager where it was.
/// </summary>
public sealed class PageTokens
{
    private readonly Stack<string?> _previous = new();

    /// <summary>The token of the page shown (null for the first).</summary>
    public string? Current { get; private set; }

    /// <summary>1 for the first page.</summary>
    public int PageNumber => _previous.Count + 1;

    public bool HasPrevious => _previous.Count > 0;

    /// <summary>Whether a move is waiting for its page to load.</summary>
    public bool IsMoving { get; private set; }

    /// <summary>Back to the first page without loading, e.g. when the parent reloaded after a filter change.</summary>
    public void Reset()
    {
        _previous.Clear();
        Current = null;
    }

    /// <summary>Loads the page of <paramref name="nextToken"/> and moves there if <paramref name="load"/> says it succeeded.</summary>
    public Task<bool> NextAsync(string? nextToken, Func<string?, Task<bool>> load) =>
        nextToken is null ? Task.FromResult(false) : MoveAsync(nextToken, forward: true, load);

    /// <summary>Loads the page before the one shown and moves back if <paramref name="load"/> says it succeeded.</summary>
    public Task<bool> PreviousAsync(Func<string?, Task<bool>> load) =>
        _previous.Count == 0 ? Task.FromResult(false) : MoveAsync(_previous.Peek(), forward: false, load);

    private async Task<bool> MoveAsync(string? target, bool forward, Func<string?, Task<bool>> load)
    {
        if (IsMoving)
            return false;
        IsMoving = true;
        try
        {
            if (!await load(target))
                return false;
            if (forward)
                _previous.Push(Current);
            else
                _previous.Pop();
            Current = target;
            return true;
        }
        finally
        {
            IsMoving = false;
        }
    }
}

/// <summary>What <c>Pager.TryPage</c> asks the parent: load the page of <see cref="Token"/>, and say whether it did.</summary>
public sealed class PageRequest(string? token)
{
    public string? Token { get; } = token;

    /// <summary>Set by the parent when the page loaded and is shown.</summary>
    public bool Loaded { get; set; }
}
