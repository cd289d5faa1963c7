namespace Slipway.Tracking.Search;

internal enum FilterTokenKind
{
    Identifier,
    String,
    Number,
    Comparator,
    And,
    Or,
    Like,
    ILike,
    In,
    Not,
    OpenParen,
    CloseParen,
    Comma,
    End,
}

/// <summary>
/// One lexical token. <see cref="Raw"/> is the source text (used in error messages); <see cref="Parts"/> holds the
/// unquoted dot-separated segments of an identifier, <see cref="Value"/> the unescaped content of a quoted string.
/// </summary>
internal sealed record FilterToken(FilterTokenKind Kind, string Raw)
{
    public IReadOnlyList<string> Parts { get; init; } = [];

    public string Value { get; init; } = "";

    public double Number { get; init; }

    public Comparator Comparator { get; init; }
}
