using System.Diagnostics;
using OpenTelemetry;

namespace Slipway.Server.Telemetry;

/// <summary>
/// Cuts every outgoing HTTP span's URL attributes down to scheme, host and port. The path of a Slack incoming-webhook
/// URL (<c>/services/T…/B…/&lt;secret&gt;</c>) is its credential, and webhook subscriber URLs may carry tokens in the
/// path or query, so neither may reach a trace backend (the alert HttpClient drops its loggers for the same reason).
/// It rewrites the tags both when the span starts and when it ends, before the batch exporter queues it.
/// </summary>
internal sealed class OutgoingUrlRedactionProcessor : BaseProcessor<Activity>
{
    // The HttpClient instrumentation's source on .NET 9+, and the legacy DiagnosticListener-based one.
    private static readonly string[] HttpClientSources = ["System.Net.Http", "OpenTelemetry.Instrumentation.Http"];

    public override void OnStart(Activity data) => Redact(data);

    public override void OnEnd(Activity data) => Redact(data);

    private static void Redact(Activity activity)
    {
        if (activity.Kind != ActivityKind.Client || Array.IndexOf(HttpClientSources, activity.Source.Name) < 0)
            return;
        if (activity.GetTagItem("url.full") is string full)
            activity.SetTag("url.full", Authority(full));
        if (activity.GetTagItem("http.url") is string legacy)
            activity.SetTag("http.url", Authority(legacy));
        if (activity.GetTagItem("url.path") is not null)
            activity.SetTag("url.path", null);
        if (activity.GetTagItem("url.query") is not null)
            activity.SetTag("url.query", null);
        if (activity.GetTagItem("http.target") is not null)
            activity.SetTag("http.target", null);
        // The span name is "METHOD" (or "METHOD {template}"), never the URL, so it needs no rewriting.
    }

    private static string Authority(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : "[redacted]";
}
