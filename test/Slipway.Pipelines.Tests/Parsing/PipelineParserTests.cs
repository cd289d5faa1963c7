using Slipway.Pipelines.Definition;
using Slipway.Pipelines.Parsing;

namespace Slipway.Pipelines.Tests.Parsing;

public class PipelineParserTests
{
    private const string Example = """
        name: churn-retrain
        params: {data: data/train.csv, min_auc: 0.8}
        concurrency: 1
        steps:
          - id: train
            uses: train            # a built-in kind
            with: {data: "${{ params.data }}", label: churned}
            retries: 2
            timeout: 10m
          - id: check
            uses: command
            needs: [train]
            run: ["python3", "check.py", "--model", "${{ steps.train.outputs.model_uri }}"]
            env: {THRESHOLD: "${{ params.min_auc }}"}
            outputs: [verdict]
            cache: true
        """;

    [Fact]
    public void Parse_ExamplePipeline_ReturnsDefinition()
    {
        var (definition, problems) = PipelineParser.Parse(Example, "p.yaml");

        Assert.Empty(problems);
        Assert.NotNull(definition);
        Assert.Equal("churn-retrain", definition.Name);
        Assert.Equal("0.8", definition.Params["min_auc"]);
        Assert.Equal(1, definition.Concurrency);
        var train = definition.Steps[0];
        Assert.Equal(("train", "train", 2, TimeSpan.FromMinutes(10)), (train.Id, train.Uses, train.Retries, train.Timeout));
        Assert.Equal(5, train.Location.Line);
        var check = definition.Steps[1];
        Assert.Equal(["train"], check.Needs);
        Assert.Equal(["python3", "check.py", "--model", "${{ steps.train.outputs.model_uri }}"], check.Run);
        Assert.Equal("${{ params.min_auc }}", check.Env["THRESHOLD"]);
        Assert.True(check.Cache);
        Assert.False(train.Cache);
    }

    [Fact]
    public void Parse_InvalidYaml_ReportsSyntaxErrorWithLine()
    {
        var (definition, problems) = PipelineParser.Parse("name: x\nsteps:\n  - id: [a\n", "bad.yaml");

        Assert.Null(definition);
        var problem = Assert.Single(problems);
        Assert.StartsWith("invalid YAML", problem.Message, StringComparison.Ordinal);
        Assert.True(problem.Line >= 3);
        Assert.Equal("bad.yaml", problem.FileName);
    }

    [Fact]
    public void Parse_UnquotedExpressionInFlowList_HintsAtQuoting()
    {
        var (_, problems) = PipelineParser.Parse("name: x\nsteps:\n  - id: a\n    uses: command\n    run: [echo, ${{ params.x }}]\n", "p.yaml");

        var problem = Assert.Single(problems);
        Assert.Equal(5, problem.Line);
        Assert.EndsWith("must be quoted, since { and } are YAML syntax)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateKey_ReportsItsLine()
    {
        var (_, problems) = PipelineParser.Parse("name: x\nsteps:\n  - id: a\n    id: b\n    uses: train\n", "p.yaml");

        Assert.Equal((4, "invalid YAML: Duplicate key id"), (Assert.Single(problems).Line, problems[0].Message));
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    public void Parse_EmptyFile_ReportsProblem(string yaml)
    {
        var (_, problems) = PipelineParser.Parse(yaml, "p.yaml");

        Assert.Equal("the file is empty; a pipeline needs name and steps", Assert.Single(problems).Message);
    }

    [Fact]
    public void Parse_NotAMapping_ReportsProblem()
    {
        var (_, problems) = PipelineParser.Parse("- a\n- b\n", "p.yaml");

        Assert.Contains("must be a mapping", Assert.Single(problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingNameAndSteps_ReportsBoth()
    {
        var (_, problems) = PipelineParser.Parse("params: {a: 1}\n", "p.yaml");

        Assert.Contains(problems, p => p.Message == "missing required key 'name'");
        Assert.Contains(problems, p => p.Message == "missing required key 'steps'");
    }

    [Theory]
    [InlineData("90s", 90_000)]
    [InlineData("10m", 600_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("500ms", 500)]
    public void TryParse_Duration_Parses(string text, int milliseconds)
    {
        Assert.True(DurationParser.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("ten minutes")]
    [InlineData("0s")]
    [InlineData("-5m")]
    public void TryParse_BadDuration_Fails(string text) => Assert.False(DurationParser.TryParse(text, out _));

    internal static IReadOnlyList<PipelineProblem> ProblemsOf(string yaml)
    {
        var (definition, problems) = PipelineParser.Parse(yaml, "p.yaml");
        Assert.Null(definition);
        return problems;
    }
}
