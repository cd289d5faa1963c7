using System.Diagnostics;
using OpenTelemetry;

namespace Slipway.Server.Telemetry;

/// <summary>
/// Keeps Npgsql command spans only inside a trace something else started (a request, a monitor run, a pipeline step).
/// The webhook dispatcher polls every 2 s, schedulers and the outbox gauges every few seconds, each with its own
/// queries: as root spans they would flood the trace backend with one-span traces nobody asked for.
/// </summary>
internal sealed class RootNpgsqlSpanFilter : BaseProcessor<Activity>
{
    public const string NpgsqlSource = "Npgsql";

    public override void OnStart(Activity data)
    {
        if (data.ParentSpanId != default || data.Source.Name != NpgsqlSource)
            return;
        // Clearing Recorded makes the export processor skip the span; IsAllDataRequested stops Npgsql filling it in.
        data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        data.IsAllDataRequested = false;
    }
}
