using System.Text.Json;
using Slipway.Monitoring.Data;
using Slipway.Monitoring.Statistics;
using Xunit.Abstractions;

namespace Slipway.Monitoring.Tests.Statistics;

/// <summary>
/// Replays the Evidently 0.7.21 golden values of <c>TestData/drift</c> (a copy of shared/conformance/drift; its
/// README states every rule and tolerance used here). Each case reads both CSV files with Slipway's reader, runs the
/// drift calculation with every method, and compares column by column: pandas dtypes, Evidently type, checked flag,
/// row and distinct counts, the default method (name, score, threshold, verdict), every method of the <c>tests</c>
/// block, the column order and the dataset block. All mismatches of a case are reported together.
/// Not compared: <c>es</c> (Epps-Singleton) and <c>empirical_mmd</c>, which Slipway does not implement, and the
/// p-values of the permutation tests (<c>deterministic: false</c>), where only the statistic is compared.
/// </summary>
public sealed class DriftConformanceTests(ITestOutputHelper output)
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "TestData", "drift");

    public static TheoryData<string> Cases()
    {
        var cases = new TheoryData<string>();
        foreach (var folder in Directory.GetDirectories(Root).Order(StringComparer.Ordinal))
            cases.Add(Path.GetFileName(folder));
        return cases;
    }

    [Fact]
    public void Cases_AllTwentySevenArePresent() => Assert.Equal(27, Cases().Count);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Compute_ConformanceCase_MatchesEvidently(string name)
    {
        var folder = Path.Combine(Root, name);
        using var expected = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "expected.json")));
        var root = expected.RootElement;
        var reference = await FrameReader.ReadAsync(Path.Combine(folder, root.GetProperty("files").GetProperty("reference").GetString()!));
        var current = await FrameReader.ReadAsync(Path.Combine(folder, root.GetProperty("files").GetProperty("current").GetString()!));

        var result = DriftCalculator.Compute(reference, current, new DriftOptions { RunAllMethods = true });

        var comparer = new DriftConformanceComparer(name);
        comparer.Compare(root, reference, current, result);
        foreach (var line in comparer.Summary())
            output.WriteLine(line);
        if (comparer.Mismatches.Count > 0)
            Assert.Fail($"{comparer.Mismatches.Count} mismatch(es) in {name}:\n" + string.Join("\n", comparer.Mismatches));
    }
}
