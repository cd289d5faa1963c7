using System.Text;

namespace Slipway.Conformance.Tests.Replay;

/// <summary>The outcome of one exchange: what was sent and every mismatch found in the answer.</summary>
public sealed record ExchangeResult(int Seq, string Request, IReadOnlyList<Mismatch> Mismatches)
{
    public bool Matched => Mismatches.Count == 0;
}

/// <summary>Per-trace summary: matched N of M exchanges, and every mismatch.</summary>
public sealed class ReplayReport(string traceName, IReadOnlyList<ExchangeResult> exchanges)
{
    public string TraceName { get; } = traceName;

    public IReadOnlyList<ExchangeResult> Exchanges { get; } = exchanges;

    public int Total => Exchanges.Count;

    public int MatchedCount => Exchanges.Count(e => e.Matched);

    public bool AllMatched => MatchedCount == Total;

    public IEnumerable<Mismatch> Mismatches => Exchanges.SelectMany(e => e.Mismatches);

    public string Summary => $"{TraceName}: matched {MatchedCount} of {Total} exchanges";

    public string Format()
    {
        var builder = new StringBuilder().AppendLine(Summary);
        foreach (var exchange in Exchanges.Where(e => !e.Matched))
        {
            builder.AppendLine($"  seq {exchange.Seq} {exchange.Request}");
            foreach (var mismatch in exchange.Mismatches)
                builder.AppendLine($"    {mismatch.Path}: expected {mismatch.Expected}, got {mismatch.Actual}");
        }

        return builder.ToString();
    }
}
