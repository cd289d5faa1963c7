using Slipway.Monitoring.Alerts;

namespace Slipway.Monitoring.Monitors;

public static partial class MonitorValidator
{
    private static void CheckAlerting(List<string> problems, MonitorSpec spec)
    {
        var channels = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < spec.Channels.Count; i++)
        {
            var channel = spec.Channels[i];
            var at = $"channels[{i}]";
            if (channel is null)
            {
                problems.Add($"{at} must be an object");
                continue;
            }
            CheckName(problems, channel.Name, at + ".name");
            if (channel.Name is not null && !channels.Add(channel.Name))
                problems.Add($"{at}.name '{channel.Name}' appears twice");
            if (!ChannelTypes.Contains(channel.Type))
                problems.Add($"{at}.type must be one of {string.Join(", ", ChannelTypes)}");
            if (!Uri.TryCreate(channel.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                problems.Add($"{at}.url must be an absolute http or https URL");
        }

        var rules = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < spec.Alerts.Count; i++)
        {
            var rule = spec.Alerts[i];
            var at = $"alerts[{i}]";
            if (rule is null)
            {
                problems.Add($"{at} must be an object");
                continue;
            }
            CheckName(problems, rule.Name, at + ".name");
            if (rule.Name is not null && !rules.Add(rule.Name))
                problems.Add($"{at}.name '{rule.Name}' appears twice");
            if (!AlertKinds.Contains(rule.Kind))
                problems.Add($"{at}.kind must be one of {string.Join(", ", AlertKinds)}");
            if (rule.Threshold is { } threshold && !double.IsFinite(threshold))
                problems.Add($"{at}.threshold must be a finite number");
            if (rule.Kind == "performance")
            {
                if (rule.Metric is null || !PerformanceMetrics.Contains(rule.Metric))
                    problems.Add($"{at}.metric must be one of {string.Join(", ", PerformanceMetrics)}");
                if (rule.Threshold is null)
                    problems.Add($"{at}.threshold is required for a performance rule");
                if (spec.Performance is null)
                    problems.Add($"{at} is a performance rule but the monitor has no performance section");
            }
            if (rule.Kind == "feature_drift" && rule.Feature is { } feature && spec.Features.Count > 0 && !spec.Features.Any(f => f.Name == feature))
                problems.Add($"{at}.feature '{feature}' is not one of the monitor's features");
            if (string.IsNullOrWhiteSpace(rule.Severity))
                problems.Add($"{at}.severity must not be empty");
            foreach (var name in rule.Channels ?? [])
            {
                if (name is null || !channels.Contains(name))
                    problems.Add($"{at}.channels names '{name}', which is not one of the monitor's channels");
            }
        }
    }
}
