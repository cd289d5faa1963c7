using Slipway.Web.Pages.Pipelines;

namespace Slipway.Web.Tests.Pages.Pipelines;

/// <summary>How the step log panel cuts a growing log into pieces that stay the same from one refresh to the next.</summary>
public sealed class LogPiecesTests
{
    [Fact]
    public void Of_LogLongerThanShown_PiecesJoinToItsEndFromAPieceBoundary()
    {
        var log = new string('x', 95);

        var pieces = LogPieces.Of(log, maxShown: 30, pieceLength: 10).ToList();

        Assert.Equal([(60, 70), (70, 80), (80, 90), (90, 95)], pieces);
        Assert.True(log.Length - pieces[0].Start >= 30);
    }

    [Fact]
    public void Of_LogGrew_EarlierPiecesUnchangedOnlyTheLastAndNewOnesDiffer()
    {
        var before = LogPieces.Of(new string('x', 25), maxShown: 100, pieceLength: 10).ToList();
        var after = LogPieces.Of(new string('x', 37), maxShown: 100, pieceLength: 10).ToList();

        Assert.Equal([(0, 10), (10, 20), (20, 25)], before);
        Assert.Equal([(0, 10), (10, 20), (20, 30), (30, 37)], after);
    }

    [Fact]
    public void Of_BoundaryInsideASurrogatePair_KeepsThePairInOnePiece()
    {
        var log = "123456789\U0001F600abc"; // the emoji's two UTF-16 units are at offsets 9 and 10

        var pieces = LogPieces.Of(log, maxShown: 100, pieceLength: 10).ToList();

        Assert.Equal([(0, 9), (9, 14)], pieces);
        Assert.Equal(log, string.Concat(pieces.Select(p => log[p.Start..p.End])));
    }

    [Fact]
    public void Of_EmptyLog_NoPieces() => Assert.Empty(LogPieces.Of("", 100, 10));
}
