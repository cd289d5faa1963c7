using System.Text;

namespace Slipway.LoadTest;

internal enum Verdict
{
    /// <summary>A diagnostic figure with no target.</summary>
    Info,
    Met,
    Missed,

    /// <summary>Measured with --quick budgets, or the scenario failed: not comparable with the target.</summary>
    NotComparable,
}

internal sealed record ResultRow(string Scenario, string Measure, string Result, string Target, Verdict Verdict, string MlflowReference, string Notes);

/// <summary>The results of one load-test session, rendered as Markdown.</summary>
internal sealed class ResultTable
{
    private readonly List<ResultRow> _rows = [];

    public IReadOnlyList<ResultRow> Rows => _rows;

    public void Add(ResultRow row)
    {
        _rows.Add(row);
        Console.WriteLine($"  {row.Measure}: {row.Result}{(row.Target.Length > 0 ? $" (target {row.Target}: {VerdictText(row.Verdict)})" : "")}");
        if (row.Notes.Length > 0)
            Console.WriteLine($"    {row.Notes}");
    }

    public string ToMarkdown(string machine)
    {
        var md = new StringBuilder();
        md.AppendLine(machine).AppendLine();
        md.AppendLine("| Scenario | Measure | Result | Target | Verdict | MLflow 2.22 | Notes |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var row in _rows)
            md.AppendLine($"| {row.Scenario} | {row.Measure} | {row.Result} | {row.Target} | {VerdictText(row.Verdict)} | {row.MlflowReference} | {row.Notes.Replace("|", "\\|", StringComparison.Ordinal)} |");
        return md.ToString();
    }

    private static string VerdictText(Verdict verdict) => verdict switch
    {
        Verdict.Met => "met",
        Verdict.Missed => "**MISSED**",
        Verdict.NotComparable => "n/a",
        _ => "",
    };
}
