namespace Slipway.Web.Pages.Compare;

/// <summary>
/// The runs named in <c>/compare?runs=a,b,c</c>: blanks and repeats dropped, order kept (it decides each run's
/// colour), at most <see cref="MaxRuns"/>.
/// </summary>
public sealed record CompareSelection(IReadOnlyList<string> RunIds, int Dropped)
{
    public const int MinRuns = 2;
    public const int MaxRuns = 20;

    public static CompareSelection Parse(string? runs)
    {
        var ids = new List<string>();
        foreach (var part in (runs ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!ids.Contains(part, StringComparer.Ordinal))
                ids.Add(part);
        }
        return ids.Count > MaxRuns ? new CompareSelection(ids[..MaxRuns], ids.Count - MaxRuns) : new CompareSelection(ids, 0);
    }
}
