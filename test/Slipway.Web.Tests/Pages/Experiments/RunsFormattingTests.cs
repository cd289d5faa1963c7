using Slipway.Web.Components.Runs;

namespace Slipway.Web.Tests.Pages.Experiments;

/// <summary>The pieces of the experiment pages that need no browser: sort clauses, CSV parsing, MLmodel reading.</summary>
public sealed class RunsFormattingTests
{
    [Theory]
    [InlineData(RunColumnKind.Metric, "rmse", true, "metrics.rmse DESC")]
    [InlineData(RunColumnKind.Metric, "val-loss", true, "metrics.`val-loss` DESC")]
    [InlineData(RunColumnKind.Param, "model.depth", false, "params.`model.depth` ASC")]
    [InlineData(RunColumnKind.Tag, "team name", false, "tags.`team name` ASC")]
    [InlineData(RunColumnKind.Attribute, "start_time", true, "attributes.start_time DESC")]
    public void OrderBy_QuotesKeysTheGrammarCannotTakeBare(RunColumnKind kind, string key, bool descending, string expected) =>
        Assert.Equal(expected, new RunColumn(kind, key, key).OrderBy(descending));

    [Fact]
    public void OrderBy_IsAcceptedByTheRunSearchParser()
    {
        var clauses = Slipway.Tracking.Search.RunSearchParser.ParseOrderBy(
            [RunColumn.Metric("val-loss").OrderBy(true)!, RunColumn.Tag("team name").OrderBy(false)!, RunAttributeColumns.Name.OrderBy(false)!]);
        Assert.Equal(3, clauses.Count);
    }

    [Fact]
    public void ParseDelimited_HandlesQuotedSeparatorsDoubledQuotesAndLineBreaks()
    {
        var rows = ArtifactText.ParseDelimited("a,b\n\"x,1\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",z", ',', 10, complete: true);
        Assert.Equal(3, rows.Count);
        Assert.Equal(["x,1", "say \"hi\""], rows[1]);
        Assert.Equal(["two\nlines", "z"], rows[2]);
    }

    [Fact]
    public void ParseDelimited_DropsTheRowCutShortByThePreviewCap()
    {
        var rows = ArtifactText.ParseDelimited("a\tb\n1\t2\n3\t", '\t', 10, complete: false);
        Assert.Equal([["a", "b"], ["1", "2"]], rows);
    }

    [Fact]
    public void MlModel_ReadsFlavorsAndColumnSignature()
    {
        var info = MlModelInfo.TryParse("""
            flavors:
              sklearn:
                pickled_model: model.pkl
                sklearn_version: 1.5.0
            signature:
              inputs: '[{"name": "age", "type": "long"}, {"name": "income", "type": "double"}]'
              outputs: '[{"type": "double"}]'
            """, out var problem);
        Assert.Null(problem);
        Assert.NotNull(info);
        Assert.Equal("sklearn", Assert.Single(info.Flavors).Name);
        Assert.Equal([new SignatureField("age", "long"), new SignatureField("income", "double")], info.Inputs);
        Assert.Equal([new SignatureField("", "double")], info.Outputs);
    }

    [Fact]
    public void MlModel_NotYaml_SaysSoInsteadOfThrowing()
    {
        Assert.Null(MlModelInfo.TryParse("flavors: [unclosed", out var problem));
        Assert.StartsWith("MLmodel is not valid YAML", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("notes.txt", ArtifactKind.Text)]
    [InlineData("metrics.JSON", ArtifactKind.Json)]
    [InlineData("rows.tsv", ArtifactKind.Table)]
    [InlineData("plot.webp", ArtifactKind.Image)]
    [InlineData("MLmodel", ArtifactKind.Model)]
    [InlineData("weights.onnx", ArtifactKind.Binary)]
    public void Classify_ChoosesThePreviewByName(string name, ArtifactKind expected) =>
        Assert.Equal(expected, ArtifactText.Classify(name));
}
