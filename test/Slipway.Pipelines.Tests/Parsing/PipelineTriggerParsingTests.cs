using Slipway.Pipelines.Definition;
using Slipway.Pipelines.Parsing;

namespace Slipway.Pipelines.Tests.Parsing;

public class PipelineTriggerParsingTests
{
    private const string Steps = "steps:\n  - id: a\n    uses: command\n    run: [/bin/true]\n";

    [Fact]
    public void Parse_OnBlockListsAndSingles_ReadsEveryTrigger()
    {
        var yaml = "name: t\non:\n  schedule:\n    - cron: \"0 3 * * *\"\n    - {cron: \"*/5 * * * *\"}\n"
            + "  monitor_alert: {monitor: drift}\n  model_version: [{model: churn}, {model: fraud}]\n" + Steps;

        var (definition, problems) = PipelineParser.Parse(yaml, "t.yaml");

        Assert.Empty(problems);
        Assert.Equal(["0 3 * * *", "*/5 * * * *"], definition!.Triggers.Schedules);
        Assert.Equal(["drift"], definition.Triggers.MonitorAlerts);
        Assert.Equal(["churn", "fraud"], definition.Triggers.ModelVersions);
    }

    [Fact]
    public void Parse_NoOnBlock_NoTriggers()
    {
        var (definition, _) = PipelineParser.Parse("name: t\n" + Steps, "t.yaml");

        Assert.True(definition!.Triggers.IsEmpty);
    }

    [Theory]
    [InlineData("on: {schedule: {cron: \"61 * * * *\"}}", "t.yaml:2:23: on.schedule: '61 * * * *' is not a cron expression")]
    [InlineData("on: {schedule: {every: 1h}}", "t.yaml:2:17: unknown key 'every' in on.schedule (expected: cron)")]
    [InlineData("on: {monitor_alert: {}}", "t.yaml:2:21: on.monitor_alert is missing required key 'monitor'")]
    [InlineData("on: {model_version: {model: \"\"}}", "t.yaml:2:29: on.model_version.model must not be empty")]
    [InlineData("on: {push: {}}", "t.yaml:2:6: unknown trigger 'push' under on")]
    [InlineData("on: nightly", "t.yaml:2:5: on must be a mapping")]
    [InlineData("on: {schedule: []}", "t.yaml:2:16: on.schedule must not be an empty list")]
    [InlineData("on: {monitor_alert: [drift]}", "t.yaml:2:22: on.monitor_alert must be a mapping like {monitor: …}")]
    public void Parse_BadOnBlock_ReportsLineAndColumn(string on, string expected)
    {
        var (definition, problems) = PipelineParser.Parse("name: t\n" + on + "\n" + Steps, "t.yaml");

        Assert.Null(definition);
        Assert.Contains(problems, p => p.ToString().StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_TriggerExpressions_KnownFieldsValidUnknownReported()
    {
        var yaml = "name: t\nsteps:\n  - id: a\n    uses: command\n"
            + "    run: [/bin/echo, \"${{ trigger.kind }}${{ trigger.monitor }}${{ trigger.alert_id }}${{ trigger.model }}${{ trigger.version }}${{ trigger.schedule }}\"]\n"
            + "    env: {X: \"${{ trigger.colour }}\"}\n";

        var (_, problems) = PipelineParser.Parse(yaml, "t.yaml");

        var problem = Assert.Single(problems);
        Assert.Equal(6, problem.Line);
        Assert.Contains("'${{ trigger.colour }}' names unknown trigger field 'colour'", problem.Message);
    }

    [Fact]
    public void TriggerField_EachName_ResolvesAndUnknownIsNull()
    {
        var trigger = new PipelineTrigger { Kind = PipelineTrigger.MonitorAlert, Monitor = "m", AlertId = "e1" };

        Assert.Equal(["monitor_alert", "m", "e1", "", "", ""], PipelineTrigger.FieldNames.Select(trigger.Field));
        Assert.Null(trigger.Field("colour"));
    }
}
