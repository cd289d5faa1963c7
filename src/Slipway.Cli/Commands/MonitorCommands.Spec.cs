using System.CommandLine;
using System.Globalization;
using Slipway.Client;

namespace Slipway.Cli.Commands;

internal static partial class MonitorCommands
{
    /// <summary>
    /// The options that make up a spec, shared by <c>create</c> and <c>update</c> (which replaces the whole spec), or
    /// <c>--file</c> with the whole spec in its REST form instead.
    /// </summary>
    private sealed class SpecOptions
    {
        public Option<string> File { get; } = new("--file") { Description = "The whole spec in its REST JSON form, as a .json or .yaml file (instead of the options below)." };
        public Option<string> Endpoint { get; } = new("--endpoint") { Description = "The serving endpoint to monitor." };
        public Option<string> ReferenceUri { get; } = new("--reference-uri") { Description = "Reference data: a CSV or Parquet artifact, e.g. runs:/RUN_ID/reference.csv." };
        public Option<bool> ReferenceModel { get; } = new("--reference-model") { Description = "Reference data: the dataset logged with the source run of the model version the endpoint serves." };
        public Option<string> ReferenceFrom { get; } = new("--reference-from") { Description = "Reference data: the endpoint's own traffic from this time (RFC 3339), with --reference-to." };
        public Option<string> ReferenceTo { get; } = new("--reference-to") { Description = "The end of the reference traffic window (RFC 3339)." };
        public Option<string> Window { get; } = new("--window") { Description = "How much traffic each run reads, e.g. 6h, 1d, 1w (default 1d)." };
        public Option<string[]> Features { get; } = new("--feature") { Description = "A feature as NAME=COLUMN[:num|cat]: NAME in the reference data, COLUMN in the inference log (e.g. age=in_age:num); repeatable. Default: every shared column." };
        public Option<string[]> Predictions { get; } = new("--prediction") { Description = "A prediction column to test for drift as NAME=COLUMN (e.g. label=out_label); repeatable." };
        public Option<string> Schedule { get; } = new("--schedule") { Description = "Run on a cron schedule (5 fields, UTC), e.g. \"0 * * * *\"; default: only on demand." };
        public Option<double?> DriftShare { get; } = new("--drift-share") { Description = "The dataset drifts when at least this share of the tested columns drifted (default 0.5)." };
        public Option<string> Method { get; } = new("--method") { Description = "One drift method for every column (e.g. psi, ks, wasserstein, jensenshannon); default: Evidently's choice." };
        public Option<double?> Threshold { get; } = new("--threshold") { Description = "One drift threshold for every column; default: each method's own." };
        public Option<int?> MaxRows { get; } = new("--max-rows") { Description = "Rows of a window read at most; a larger window is sampled (default 1000000)." };
        public Option<string[]> Webhooks { get; } = new("--alert-webhook") { Description = "Send alerts to this URL as Slipway JSON; repeatable." };
        public Option<string[]> Slack { get; } = new("--alert-slack") { Description = "Send alerts to this Slack incoming-webhook URL; repeatable." };
        public Option<string[]> Alertmanagers { get; } = new("--alert-alertmanager") { Description = "Send alerts to this Prometheus Alertmanager (base URL); repeatable." };
        public Option<double?> AlertDriftShare { get; } = new("--alert-drift-share") { Description = "Alert when the drift share reaches this value (default with an alert channel: the monitor's --drift-share)." };

        private IEnumerable<Option> SpecParts =>
        [
            Endpoint, ReferenceUri, ReferenceModel, ReferenceFrom, ReferenceTo, Window, Features, Predictions, Schedule,
            DriftShare, Method, Threshold, MaxRows, Webhooks, Slack, Alertmanagers, AlertDriftShare,
        ];

        public void AddTo(Command command)
        {
            command.Options.Add(File);
            foreach (var option in SpecParts)
                command.Options.Add(option);
        }

        /// <summary>The spec, or a usage message explaining what is wrong with the options.</summary>
        public (MonitorSpec? Spec, string? Problem) Build(ClientInvocation call, string? name)
        {
            if (call.Value(File) is { Length: > 0 } file)
            {
                var given = SpecParts.FirstOrDefault(o => call.ParseResult.GetResult(o) is { Implicit: false });
                return given is not null
                    ? (null, $"--file holds the whole spec; do not combine it with {given.Name}.")
                    : MonitorSpecFile.Read(file, name);
            }
            if (string.IsNullOrEmpty(name))
                return (null, "Name the monitor (NAME), or give the whole spec with --file.");
            if (call.Value(Endpoint) is not { Length: > 0 } endpoint)
                return (null, "--endpoint is required: the serving endpoint to monitor.");
            var (reference, referenceProblem) = BuildReference(call);
            if (reference is null)
                return (null, referenceProblem);
            TimeSpan? window = null;
            if (call.Value(Window) is { } windowText)
            {
                if (!MonitorDurations.TryParse(windowText, out var parsed))
                    return (null, $"--window '{windowText}' is not a duration such as 30m, 6h, 1d or 2w.");
                window = parsed;
            }
            var features = new List<MonitorFeature>();
            foreach (var text in call.Value(Features) ?? [])
            {
                if (ParseColumn(text, allowType: true) is not { } feature)
                    return (null, $"--feature '{text}' is not NAME=COLUMN or NAME=COLUMN:num|cat.");
                features.Add(feature);
            }
            var predictions = new List<MonitorFeature>();
            foreach (var text in call.Value(Predictions) ?? [])
            {
                if (ParseColumn(text, allowType: false) is not { } prediction)
                    return (null, $"--prediction '{text}' is not NAME=COLUMN.");
                predictions.Add(prediction);
            }
            var channels = Channels(call);
            var alertShare = call.Value(AlertDriftShare);
            // A channel with no rule would never hear anything, so channels alone get the drift-share rule.
            MonitorAlertRule[] alerts = alertShare is not null || channels.Count > 0
                ? [new MonitorAlertRule { Name = "drift-share", Kind = "drift_share", Threshold = alertShare }]
                : [];
            var spec = new MonitorSpec
            {
                Name = name,
                Endpoint = endpoint,
                Reference = reference,
                Window = window,
                Features = features,
                Predictions = predictions,
                Schedule = call.Value(Schedule),
                DriftShare = call.Value(DriftShare),
                Method = call.Value(Method),
                Threshold = call.Value(Threshold),
                MaxRows = call.Value(MaxRows),
                Alerts = alerts,
                Channels = channels,
            };
            return (spec, null);
        }

        private (MonitorReference? Reference, string? Problem) BuildReference(ClientInvocation call)
        {
            var uri = call.Value(ReferenceUri);
            var model = call.Value(ReferenceModel);
            var from = call.Value(ReferenceFrom);
            var to = call.Value(ReferenceTo);
            var kinds = (uri is not null ? 1 : 0) + (model ? 1 : 0) + (from is not null || to is not null ? 1 : 0);
            if (kinds != 1)
                return (null, "Give exactly one reference: --reference-uri URI, --reference-model, or --reference-from TIME --reference-to TIME.");
            if (uri is not null)
                return (MonitorReference.Dataset(uri), null);
            if (model)
                return (MonitorReference.Model(), null);
            if (!TryParseTime(from, out var start) || !TryParseTime(to, out var end))
                return (null, "--reference-from and --reference-to both need an RFC 3339 time such as 2026-01-01T00:00:00Z.");
            return (MonitorReference.Traffic(start, end), null);
        }

        private List<MonitorAlertChannel> Channels(ClientInvocation call)
        {
            var channels = new List<MonitorAlertChannel>();
            foreach (var (option, type) in new[] { (Webhooks, "webhook"), (Slack, "slack"), (Alertmanagers, "alertmanager") })
            {
                var urls = call.Value(option) ?? [];
                for (var i = 0; i < urls.Length; i++)
                    channels.Add(new MonitorAlertChannel($"{type}-{i + 1}", type, urls[i]));
            }
            return channels;
        }
    }

    /// <summary><c>NAME=COLUMN</c>, with <c>:num</c> or <c>:cat</c> after the column when <paramref name="allowType"/>.</summary>
    internal static MonitorFeature? ParseColumn(string text, bool allowType)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || equals == text.Length - 1)
            return null;
        var name = text[..equals];
        var column = text[(equals + 1)..];
        string? type = null;
        var colon = column.LastIndexOf(':');
        if (colon >= 0)
        {
            type = column[(colon + 1)..];
            column = column[..colon];
            if (!allowType || type is not ("num" or "cat") || column.Length == 0)
                return null;
        }
        return new MonitorFeature(name, column, Type: type);
    }

    internal static bool TryParseTime(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);
}
