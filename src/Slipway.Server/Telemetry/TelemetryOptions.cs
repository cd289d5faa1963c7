using System.Globalization;

namespace Slipway.Server.Telemetry;

/// <summary>
/// OpenTelemetry tracing settings, bound from <c>Slipway:Telemetry</c>. Tracing is off unless it is enabled or an
/// OTLP endpoint is configured (here or by the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable); when off, no
/// tracer provider, no instrumentation and no exporter are registered.
/// </summary>
public sealed class TelemetryOptions
{
    /// <summary>Standard OpenTelemetry variables read as fallbacks (the SDK specification's names).</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ServiceNameVariable = "OTEL_SERVICE_NAME";
    public const string ProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";

    public const string HttpProtobuf = "http/protobuf";
    public const string Grpc = "grpc";

    /// <summary>true turns tracing on, false keeps it off even when an endpoint is set; null (default) means
    /// "on when an endpoint is configured".</summary>
    public bool? Enabled { get; set; }

    /// <summary>OTLP collector base address, e.g. <c>http://otel-collector:4318</c>; for http/protobuf the
    /// <c>/v1/traces</c> path is appended unless present. Falls back to <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>http/protobuf</c> (default) or <c>grpc</c>; falls back to <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>.</summary>
    public string? Protocol { get; set; }

    /// <summary>The <c>service.name</c> resource attribute; falls back to <c>OTEL_SERVICE_NAME</c>, then "slipway".</summary>
    public string? ServiceName { get; set; }

    /// <summary>Share of new traces recorded, 0 to 1 (parent-based: a sampled caller's trace is always followed).</summary>
    public double SamplingRatio { get; set; } = 1.0;

    /// <summary>Longest time a finished span waits in the batch before export (the SDK default is 5 s).</summary>
    public TimeSpan ExportDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The settings with environment fallbacks applied; <paramref name="environment"/> reads a variable.</summary>
    public ResolvedTelemetry Resolve(Func<string, string?> environment)
    {
        var endpoint = NonEmpty(OtlpEndpoint) ?? NonEmpty(environment(EndpointVariable));
        var protocol = (NonEmpty(Protocol) ?? NonEmpty(environment(ProtocolVariable)) ?? HttpProtobuf).ToLowerInvariant();
        var enabled = Enabled ?? endpoint is not null;
        var serviceName = NonEmpty(ServiceName) ?? NonEmpty(environment(ServiceNameVariable)) ?? "slipway";
        Uri? traces = null;
        if (enabled)
        {
            var baseAddress = new Uri(endpoint ?? (protocol == Grpc ? "http://localhost:4317" : "http://localhost:4318"));
            traces = protocol == Grpc || baseAddress.AbsolutePath.EndsWith("/v1/traces", StringComparison.Ordinal)
                ? baseAddress
                : new Uri(baseAddress.GetLeftPart(UriPartial.Authority) + baseAddress.AbsolutePath.TrimEnd('/') + "/v1/traces");
        }
        return new ResolvedTelemetry(enabled, traces, protocol, serviceName, SamplingRatio, ExportDelay);
    }

    /// <summary>Problems with the settings, each a full sentence (the host lists them all at start).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (SamplingRatio is < 0 or > 1 || double.IsNaN(SamplingRatio))
            problems.Add($"Slipway:Telemetry:SamplingRatio must be between 0 and 1 (got {SamplingRatio.ToString(CultureInfo.InvariantCulture)}).");
        if (NonEmpty(OtlpEndpoint) is { } endpoint
            && (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            problems.Add($"Slipway:Telemetry:OtlpEndpoint must be an absolute http(s) URL (got '{endpoint}').");
        if (NonEmpty(Protocol) is { } protocol && protocol.ToLowerInvariant() is not (HttpProtobuf or Grpc))
            problems.Add($"Slipway:Telemetry:Protocol must be '{HttpProtobuf}' or '{Grpc}' (got '{protocol}').");
        if (ExportDelay <= TimeSpan.Zero)
            problems.Add("Slipway:Telemetry:ExportDelay must be positive.");
        return problems;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>Tracing settings after environment fallbacks: whether it is on and where spans go.</summary>
public sealed record ResolvedTelemetry(
    bool Enabled, Uri? TracesEndpoint, string Protocol, string ServiceName, double SamplingRatio, TimeSpan ExportDelay);
