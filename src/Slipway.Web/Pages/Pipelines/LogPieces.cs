namespace Slipway.Web.Pages.Pipelines;

/// <summary>
/// How the step log panel cuts a log for rendering: the end of the log (at least <c>maxShown</c> characters when
/// there are that many) in pieces that start at fixed offsets of the whole log. Keyed by offset, the pieces a refresh
/// did not touch are equal to the ones on screen, so a growing log sends only its growth to the browser instead of the
/// whole tail every two seconds.
/// </summary>
internal static class LogPieces
{
    /// <summary>The pieces as (start, end) offsets; a boundary inside a surrogate pair moves back one so that no
    /// character is split between two pieces.</summary>
    public static IEnumerable<(int Start, int End)> Of(string log, int maxShown, int pieceLength)
    {
        for (var piece = Math.Max(0, log.Length - maxShown) / pieceLength; ; piece++)
        {
            var start = Boundary(log, (long)piece * pieceLength);
            if (start >= log.Length)
                yield break;
            yield return (start, Boundary(log, (long)(piece + 1) * pieceLength));
        }
    }

    private static int Boundary(string log, long offset) => offset >= log.Length
        ? log.Length
        : offset > 0 && char.IsLowSurrogate(log[(int)offset]) ? (int)offset - 1 : (int)offset;
}
