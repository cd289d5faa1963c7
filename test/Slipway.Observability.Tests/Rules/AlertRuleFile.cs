using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Slipway.Observability.Tests.Rules;

/// <summary>deploy/prometheus/slipway-rules.yaml as data, in Prometheus's rule file format.</summary>
internal sealed class AlertRuleFile
{
    public List<RuleGroup> Groups { get; set; } = [];

    public IEnumerable<AlertRule> Alerts => Groups.SelectMany(g => g.Rules).Where(r => r.Alert is not null);

    public static AlertRuleFile Load(string path) =>
        new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).IgnoreUnmatchedProperties().Build()
            .Deserialize<AlertRuleFile>(File.ReadAllText(path));
}

internal sealed class RuleGroup
{
    public string Name { get; set; } = "";

    public List<AlertRule> Rules { get; set; } = [];
}

internal sealed class AlertRule
{
    public string? Alert { get; set; }

    public string Expr { get; set; } = "";

    public string? For { get; set; }

    public Dictionary<string, string> Labels { get; set; } = [];

    public Dictionary<string, string> Annotations { get; set; } = [];
}
