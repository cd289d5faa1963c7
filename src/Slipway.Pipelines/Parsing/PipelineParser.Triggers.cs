using Cronos;
using Slipway.Pipelines.Definition;
using YamlDotNet.RepresentationModel;

namespace Slipway.Pipelines.Parsing;

public static partial class PipelineParser
{
    private static readonly string[] s_triggerKeys = ["schedule", "monitor_alert", "model_version"];

    /// <summary>
    /// Reads <c>on: { schedule: [{cron: …}], monitor_alert: {monitor: …}, model_version: {model: …} }</c>; each kind
    /// takes one item or a list of them.
    /// </summary>
    private static PipelineTriggers ReadTriggers(YamlNode node, YamlValues values, ProblemList problems)
    {
        if (node is not YamlMappingNode mapping)
        {
            problems.Add(node, $"on must be a mapping of schedule, monitor_alert and model_version, not a {YamlValues.Describe(node)}");
            return PipelineTriggers.None;
        }
        List<string> schedules = [], monitors = [], models = [];
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            switch (values.Scalar(keyNode, "a key of on"))
            {
                case null:
                    break;
                case "schedule":
                    foreach (var cron in Items(valueNode, "on.schedule", "cron", values, problems))
                    {
                        if (TryParseCron(cron.Value, out _))
                            schedules.Add(cron.Value);
                        else
                            problems.Add(cron.Node, $"on.schedule: '{cron.Value}' is not a cron expression of five fields (minute hour day month weekday), e.g. \"0 3 * * *\"");
                    }
                    break;
                case "monitor_alert":
                    monitors.AddRange(Items(valueNode, "on.monitor_alert", "monitor", values, problems).Select(i => i.Value));
                    break;
                case "model_version":
                    models.AddRange(Items(valueNode, "on.model_version", "model", values, problems).Select(i => i.Value));
                    break;
                case var key:
                    problems.Add(keyNode, $"unknown trigger '{key}' under on (expected one of: {string.Join(", ", s_triggerKeys)})");
                    break;
            }
        }
        return new PipelineTriggers { Schedules = schedules, MonitorAlerts = monitors, ModelVersions = models };
    }

    /// <summary>Parses a five-field cron expression (UTC), as schedules are evaluated.</summary>
    public static bool TryParseCron(string text, out CronExpression? expression)
    {
        try
        {
            expression = CronExpression.Parse(text, CronFormat.Standard);
            return true;
        }
        catch (CronFormatException)
        {
            expression = null;
            return false;
        }
    }

    /// <summary>One <c>{key: value}</c> mapping or a list of them; each must hold exactly <paramref name="key"/>.</summary>
    private static List<(string Value, YamlNode Node)> Items(YamlNode node, string what, string key, YamlValues values, ProblemList problems)
    {
        var items = new List<(string, YamlNode)>();
        IEnumerable<YamlNode> entries = node is YamlSequenceNode sequence ? sequence.Children : [node];
        if (node is YamlSequenceNode { Children.Count: 0 })
            problems.Add(node, $"{what} must not be an empty list");
        foreach (var entry in entries)
        {
            if (entry is not YamlMappingNode mapping)
            {
                problems.Add(entry, $"{what} must be a mapping like {{{key}: …}} or a list of them, not a {YamlValues.Describe(entry)}");
                continue;
            }
            var found = false;
            foreach (var (keyNode, valueNode) in mapping.Children)
            {
                var name = values.Scalar(keyNode, $"a key of {what}");
                if (name is null)
                    continue;
                if (name != key)
                {
                    problems.Add(keyNode, $"unknown key '{name}' in {what} (expected: {key})");
                    continue;
                }
                found = true;
                var value = values.Scalar(valueNode, $"{what}.{key}");
                if (value is { Length: 0 })
                    problems.Add(valueNode, $"{what}.{key} must not be empty");
                else if (value is not null)
                    items.Add((value, valueNode));
            }
            if (!found)
                problems.Add(mapping, $"{what} is missing required key '{key}'");
        }
        return items;
    }
}
