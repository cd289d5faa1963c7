using static Slipway.Pipelines.Tests.Parsing.PipelineParserTests;

namespace Slipway.Pipelines.Tests.Parsing;

public class PipelineValidationTests
{
    [Fact]
    public void Parse_FileWithManyProblems_ReportsEveryOneWithItsLine()
    {
        const string yaml = """
            name: broken
            schedule: daily
            params: {data: d.csv}
            steps:
              - id: a
                uses: train
                colour: blue
              - uses: evaluate
              - id: a
                uses: teleport
              - id: c
                uses: command
                needs: [ghost]
              - id: d
                uses: gate
                retries: -1
                timeout: soon
            """;

        var problems = ProblemsOf(yaml);

        Assert.Collection(
            problems,
            p => Assert.Equal((2, "unknown top-level key 'schedule'"), (p.Line, p.Message[..32])),
            p => Assert.Equal((7, "unknown step key 'colour'"), (p.Line, p.Message[..25])),
            p => Assert.Equal((8, "a step is missing required key 'id'"), (p.Line, p.Message)),
            p => Assert.Equal((9, "duplicate step id 'a' (first defined on line 5)"), (p.Line, p.Message)),
            p => Assert.Equal((10, "unknown uses 'teleport'"), (p.Line, p.Message[..23])),
            p => Assert.Equal((11, "step 'c' uses command but has no 'run' list"), (p.Line, p.Message)),
            p => Assert.Equal((13, "step 'c' needs unknown step 'ghost'"), (p.Line, p.Message)),
            p => Assert.Equal((16, "retries must not be negative, got -1"), (p.Line, p.Message)),
            p => Assert.Equal((17, "timeout 'soon' is not a duration"), (p.Line, p.Message[..32])));
    }

    [Fact]
    public void Parse_NamesUnusableInExpressions_AreReported()
    {
        var problems = ProblemsOf("name: x\nparams:\n  my.param: 1\nsteps:\n  - id: 9lives\n    uses: command\n    run: [x]\n    outputs: [\"a b\"]\n");

        Assert.Collection(
            problems,
            p => Assert.Equal((3, "parameter name 'my.param'"), (p.Line, p.Message[..25])),
            p => Assert.Equal((5, "step id '9lives'"), (p.Line, p.Message[..16])),
            p => Assert.Equal((8, "step '9lives': output name 'a b'"), (p.Line, p.Message[..32])));
    }

    [Fact]
    public void Parse_StepWithoutUses_ReportsMissingUses()
    {
        var problems = ProblemsOf("name: x\nsteps:\n  - id: a\n");

        var problem = Assert.Single(problems);
        Assert.Equal((3, 5, "step 'a' is missing required key 'uses'"), (problem.Line, problem.Column, problem.Message));
    }

    [Fact]
    public void Parse_RunAsString_ReportsNoShell()
    {
        var problems = ProblemsOf("name: x\nsteps:\n  - id: a\n    uses: command\n    run: python3 x.py\n");

        Assert.Equal(5, Assert.Single(problems).Line);
        Assert.Contains("not passed to a shell", problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RunOnBuiltInStep_ReportsProblem()
    {
        var problems = ProblemsOf("name: x\nsteps:\n  - id: a\n    uses: train\n    run: [echo]\n");

        Assert.Equal((5, "step 'a': run is only allowed with uses: command"), (Assert.Single(problems).Line, problems[0].Message));
    }

    [Fact]
    public void Parse_Cycle_NamesTheCycle()
    {
        const string yaml = """
            name: loop
            steps:
              - id: a
                uses: train
                needs: [c]
              - id: b
                uses: evaluate
                needs: [a]
              - id: c
                uses: gate
                needs: b
              - id: d
                uses: register
                needs: [d]
            """;

        var problems = ProblemsOf(yaml);

        Assert.Equal(2, problems.Count);
        Assert.Equal((5, "dependency cycle: a -> b -> c -> a"), (problems[0].Line, problems[0].Message));
        Assert.Equal((14, "step 'd' needs itself"), (problems[1].Line, problems[1].Message));
    }

    [Theory]
    [InlineData("\"${{ params.nope }}\"", "names unknown parameter 'nope' (declared: data)")]
    [InlineData("\"${{ steps.ghost.outputs.x }}\"", "names unknown step 'ghost'")]
    [InlineData("\"${{ steps.b.outputs.model_uri }}\"", "refers to step 'b', which is not in the needs of step 'c'")]
    [InlineData("\"${{ steps.a.outputs.nope }}\"", "names unknown output 'nope' of step 'a'")]
    [InlineData("\"${{ steps.c.outputs.x }}\"", "refers to the step's own outputs")]
    public void Parse_BadReference_ReportsItOnItsLine(string value, string expected)
    {
        var yaml = $"""
            name: refs
            params: {"{"}data: d.csv{"}"}
            steps:
              - id: a
                uses: train
              - id: b
                uses: train
              - id: c
                uses: command
                needs: [a]
                run: [echo, ok]
                env:
                  VALUE: {value}
            """;

        var problem = Assert.Single(ProblemsOf(yaml));

        Assert.Equal(13, problem.Line);
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
        Assert.StartsWith("step 'c' env.VALUE:", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"${{ params.data\"", "without a closing")]
    [InlineData("\"${{ }}\"", "is empty")]
    [InlineData("\"${{ secrets.token }}\"", "expected params.<name>, steps.<id>.outputs.<name>, run.id or trigger.<name>")]
    public void Parse_MalformedExpression_ReportsIt(string value, string expected)
    {
        var yaml = $"name: x\nparams: {{data: d}}\nsteps:\n  - id: a\n    uses: train\n    with:\n      data: {value}\n";

        var problem = Assert.Single(ProblemsOf(yaml));

        Assert.Equal(7, problem.Line);
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TransitiveNeedReference_IsAccepted()
    {
        const string yaml = """
            name: chain
            steps:
              - id: a
                uses: command
                run: [echo]
                outputs: [x]
              - id: b
                uses: command
                needs: a
                run: [echo]
              - id: c
                uses: command
                needs: [b]
                run: [echo, "x=${{ steps.a.outputs.x }} in ${{ run.id }}"]
            """;

        var (definition, problems) = Slipway.Pipelines.Parsing.PipelineParser.Parse(yaml, "p.yaml");

        Assert.Empty(problems);
        Assert.NotNull(definition);
    }
}
