using Slipway.Monitoring.Monitors;

namespace Slipway.Monitoring.Alerts;

/// <summary>
/// Decides what one monitor run does to the monitor's alert episodes. A pure function of its inputs (no clock, no
/// I/O), so the dispatcher only persists and notifies what it returns, and every case is testable on its own:
/// <list type="bullet">
/// <item>a breach with no firing episode of the same labels starts one (firing, <c>StartsAt</c> = now);</item>
/// <item>a breach of a firing episode updates its annotations only (Alertmanager sees the same alert);</item>
/// <item>a rule that was evaluated and no longer breaches resolves its firing episodes (<c>EndsAt</c> = now);</item>
/// <item>a rule the run could not evaluate (an empty window, no labels yet, a feature that was not tested) keeps
/// its episodes as they are: missing evidence is not evidence that the problem went away;</item>
/// <item>episodes of a rule that is no longer in the monitor are resolved, or they would fire for ever.</item>
/// </list>
/// </summary>
public static partial class AlertEvaluator
{
    /// <param name="spec">The monitor, with its rules.</param>
    /// <param name="run">The run's result.</param>
    /// <param name="episodes">The monitor's current episodes; only firing ones matter (resolved ones are ignored).</param>
    /// <param name="now">The time the run ended: start and end times of the episodes it changes.</param>
    /// <param name="runUrl">Where the run can be seen; goes into the <c>run_url</c> annotation.</param>
    /// <returns>Every started, updated and resolved episode; episodes the run left alone are not listed.</returns>
    public static IReadOnlyList<AlertTransition> Evaluate(
        MonitorSpec spec, MonitorRunResult run, IReadOnlyList<AlertState> episodes, DateTimeOffset now, string? runUrl = null)
    {
        // Should a store ever hold two firing episodes of one fingerprint, the newest wins and the other stays put.
        var firing = new Dictionary<string, AlertState>(StringComparer.Ordinal);
        foreach (var episode in episodes)
        {
            if (episode.Status == AlertStatus.Firing && episode.Monitor == spec.Name
                && (!firing.TryGetValue(episode.Fingerprint, out var seen) || episode.StartsAt > seen.StartsAt))
                firing[episode.Fingerprint] = episode;
        }

        var transitions = new List<AlertTransition>();
        var rules = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in spec.Alerts)
        {
            if (!rules.Add(rule.Name))
                continue;
            var outcome = EvaluateRule(spec, run, rule);
            if (outcome is null)
                continue;
            var breached = new HashSet<string>(StringComparer.Ordinal);
            foreach (var breach in outcome.Breaches)
            {
                var labels = LabelsOf(spec, rule, breach.Feature);
                var fingerprint = AlertLabels.Fingerprint(labels);
                if (!breached.Add(fingerprint))
                    continue;
                var annotations = AnnotationsOf(run, breach, runUrl);
                transitions.Add(firing.TryGetValue(fingerprint, out var current)
                    ? new AlertTransition(current with { Annotations = annotations, UpdatedAt = now }, AlertChange.Updated)
                    : new AlertTransition(
                        new AlertState($"{fingerprint}-{now.ToUnixTimeMilliseconds()}", spec.Name, rule.Name, fingerprint, labels,
                            annotations, AlertStatus.Firing, now, null, null, now),
                        AlertChange.Started));
            }
            foreach (var episode in firing.Values)
            {
                if (episode.Rule == rule.Name && !breached.Contains(episode.Fingerprint) && outcome.Covers(episode))
                    transitions.Add(Resolve(episode, now));
            }
        }
        foreach (var episode in firing.Values)
        {
            if (!rules.Contains(episode.Rule))
                transitions.Add(Resolve(episode, now));
        }
        return transitions;
    }

    private static AlertTransition Resolve(AlertState episode, DateTimeOffset now) =>
        new(episode with { Status = AlertStatus.Resolved, EndsAt = now, UpdatedAt = now }, AlertChange.Resolved);

    private static Dictionary<string, string> LabelsOf(MonitorSpec spec, AlertRuleSpec rule, string? feature)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [AlertLabels.AlertName] = AlertLabels.AlertNameOf(rule.Kind),
            [AlertLabels.Monitor] = spec.Name,
            [AlertLabels.Endpoint] = spec.Endpoint,
            [AlertLabels.Rule] = rule.Name,
            [AlertLabels.Severity] = rule.Severity,
        };
        if (feature is not null)
            labels[AlertLabels.Feature] = feature;
        if (rule.Kind == AlertLabels.PerformanceKind && rule.Metric is not null)
            labels[AlertLabels.Metric] = rule.Metric;
        // Alertmanager drops empty label values; dropping them here keeps our fingerprint equal to its identity.
        foreach (var (name, value) in labels)
        {
            if (string.IsNullOrEmpty(value))
                labels.Remove(name);
        }
        return labels;
    }

    private static Dictionary<string, string> AnnotationsOf(MonitorRunResult run, Breach breach, string? runUrl)
    {
        var annotations = new Dictionary<string, string>(breach.Details, StringComparer.Ordinal)
        {
            [AlertLabels.Summary] = breach.Summary,
            [AlertLabels.Description] = breach.Description,
            [AlertLabels.WindowStart] = AlertLabels.Format(run.WindowStart),
            [AlertLabels.WindowEnd] = AlertLabels.Format(run.WindowEnd),
        };
        if (run.ModelVersion is not null)
            annotations[AlertLabels.ModelVersion] = run.ModelVersion;
        if (run.FeatureDrift is { } drift)
            annotations[AlertLabels.DriftShare] = AlertLabels.Format(drift.Dataset.ShareOfDriftedColumns);
        if (runUrl is not null)
            annotations[AlertLabels.RunUrl] = runUrl;
        return annotations;
    }
}
