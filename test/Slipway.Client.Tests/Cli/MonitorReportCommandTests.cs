using System.Text.Json;
using Slipway.Client.Tests.Infrastructure;

namespace Slipway.Client.Tests.Cli;

/// <summary><c>slipway monitor report</c> on small files in a temporary folder, run in-process.</summary>
public sealed class MonitorReportCommandTests
{
    [Fact]
    public async Task Report_SameDistribution_WritesHtmlAndJsonAndExitsZero()
    {
        using var folder = new TempDirectory();
        var (reference, current) = MonitorReportFiles.WriteCsv(folder, shift: 0);
        var html = folder.Combine("out", "report.html");
        var json = folder.Combine("report.json");

        var result = await CliRunner.RunAsync("monitor", "report", "--reference", reference, "--current", current, "--out", html, "--json", json, "--fail-on-drift");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Dataset drift: not detected", result.Out, StringComparison.Ordinal);
        foreach (var column in new[] { "age", "income", "city" })
            Assert.Contains(column, result.Out, StringComparison.Ordinal);
        var page = await File.ReadAllTextAsync(html);
        Assert.StartsWith("<!DOCTYPE html>", page, StringComparison.Ordinal);
        Assert.Contains("<td class=\"name\">income</td>", page, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var dataset = document.RootElement.GetProperty("feature_drift").GetProperty("dataset");
        Assert.False(dataset.GetProperty("dataset_drift").GetBoolean());
        Assert.Equal(4, dataset.GetProperty("number_of_columns").GetInt32());
    }

    [Fact]
    public async Task Report_StrongDrift_ExitsThreeOnlyWithFailOnDrift()
    {
        using var folder = new TempDirectory();
        var (reference, current) = MonitorReportFiles.WriteCsv(folder, shift: 2);
        var html = folder.Combine("report.html");

        var plain = await CliRunner.RunAsync("monitor", "report", "--reference", reference, "--current", current, "--out", html);
        var failing = await CliRunner.RunAsync("monitor", "report", "--reference", reference, "--current", current, "--out", html, "--fail-on-drift");

        Assert.Equal(0, plain.ExitCode);
        Assert.Contains("Dataset drift: DETECTED", plain.Out, StringComparison.Ordinal);
        Assert.Equal(3, failing.ExitCode);
        Assert.True(File.Exists(html));
        Assert.Contains("Dataset drift detected", await File.ReadAllTextAsync(html), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_ParquetWithMapping_TestsOnlyMappedColumns()
    {
        using var folder = new TempDirectory();
        var (reference, current) = await MonitorReportFiles.WriteParquetAsync(folder, shift: 2);
        var mapping = folder.WriteFile("mapping.yaml", """
            id: id
            numerical_features: [age]
            categorical_features: [city]
            per_column_method: {age: psi}
            per_column_threshold: {age: 0.3}
            """u8.ToArray());
        var json = folder.Combine("report.json");

        var result = await CliRunner.RunAsync("monitor", "report", "--reference", reference, "--current", current,
            "--column-mapping", mapping, "--out", folder.Combine("report.html"), "--json", json);

        Assert.Equal(0, result.ExitCode);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var columns = document.RootElement.GetProperty("feature_drift").GetProperty("columns").EnumerateArray().ToList();
        Assert.Equal(["age", "city"], columns.Select(c => c.GetProperty("column").GetString()));
        Assert.Equal("psi", columns[0].GetProperty("drift").GetProperty("test").GetString());
        Assert.Equal(0.3, columns[0].GetProperty("drift").GetProperty("threshold").GetDouble());
        Assert.DoesNotContain("income", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_HostileColumnName_IsEncodedInHtml()
    {
        using var folder = new TempDirectory();
        const string hostile = "<script>alert(1)</script>";
        // Two values over 20 rows: a categorical column (more distinct strings than half the rows would be text).
        var rows = string.Concat(Enumerable.Range(0, 20).Select(i => $"{i % 3},{(i % 4 == 0 ? "x" : "y")}\n"));
        var reference = folder.WriteFile("r.csv", System.Text.Encoding.UTF8.GetBytes($"a,{hostile}\n{rows}"));
        var current = folder.WriteFile("c.csv", System.Text.Encoding.UTF8.GetBytes($"a,{hostile}\n{rows}"));
        var html = folder.Combine("report.html");

        var result = await CliRunner.RunAsync("monitor", "report", "--reference", reference, "--current", current, "--out", html);

        Assert.Equal(0, result.ExitCode);
        var page = await File.ReadAllTextAsync(html);
        Assert.DoesNotContain(hostile, page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_MissingFile_ExitsTwoNamingIt()
    {
        using var folder = new TempDirectory();
        var (reference, _) = MonitorReportFiles.WriteCsv(folder, shift: 0);
        var missing = folder.Combine("nope.csv");

        var result = await CliRunner.RunAsync("monitor", "report", "--reference", reference, "--current", missing, "--out", folder.Combine("r.html"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("file not found: " + missing, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_CorruptParquet_ExitsOneWithoutStackTrace()
    {
        using var folder = new TempDirectory();
        var (reference, _) = MonitorReportFiles.WriteCsv(folder, shift: 0);
        var corrupt = folder.WriteFile("current.parquet", "PAR1 this is not parquet"u8.ToArray());

        var result = await CliRunner.RunAsync("monitor", "report", "--reference", reference, "--current", corrupt, "--out", folder.Combine("r.html"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("current.parquet", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.Combine("r.html")));
    }

    [Fact]
    public async Task Report_MappingNamesUnknownColumn_ExitsTwoNamingIt()
    {
        using var folder = new TempDirectory();
        var (reference, current) = MonitorReportFiles.WriteCsv(folder, shift: 0);
        var mapping = folder.WriteFile("mapping.json", """{"target": "churned", "numerical_features": ["age"]}"""u8.ToArray());

        var result = await CliRunner.RunAsync("monitor", "report", "--reference", reference, "--current", current,
            "--column-mapping", mapping, "--out", folder.Combine("r.html"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'churned' (target) is not a column of the reference data", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_ColumnsDiffer_ExitsTwoListingThem()
    {
        using var folder = new TempDirectory();
        var (reference, current) = MonitorReportFiles.WriteCsv(folder, shift: 0, extraColumn: "weekday");

        var result = await CliRunner.RunAsync("monitor", "report", "--reference", reference, "--current", current, "--out", folder.Combine("r.html"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("columns only in the reference data: weekday", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--method", "kolmogorov", "unknown drift method 'kolmogorov'")]
    [InlineData("--method", "es", "Slipway does not implement")]
    [InlineData("--drift-share", "1.5", "--drift-share must be")]
    [InlineData("--threshold", "-1", "--threshold must be")]
    public async Task Report_BadOption_ExitsTwo(string option, string value, string message)
    {
        using var folder = new TempDirectory();
        var (reference, current) = MonitorReportFiles.WriteCsv(folder, shift: 0);

        var result = await CliRunner.RunAsync("monitor", "report", "--reference", reference, "--current", current, "--out", folder.Combine("r.html"), option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_MentionsExitCodeThree()
    {
        var result = await CliRunner.RunAsync("monitor", "report", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--fail-on-drift", result.Out, StringComparison.Ordinal);
        Assert.Contains("3 dataset drift", result.Out, StringComparison.Ordinal);
    }
}
