using Slipway.Core.Errors;
using Slipway.Server;
using Slipway.Server.Telemetry;

namespace Slipway.Observability.Tests.Tracing;

/// <summary>How tracing settings resolve against the standard OTEL_* variables, and how bad ones are reported.</summary>
public sealed class TelemetryOptionsTests
{
    private static readonly Dictionary<string, string> NoVariables = [];

    [Fact]
    public void Resolve_Defaults_Off()
    {
        var resolved = new TelemetryOptions().Resolve(NoVariables.GetValueOrDefault);

        Assert.False(resolved.Enabled);
        Assert.Null(resolved.TracesEndpoint);
        Assert.Equal("slipway", resolved.ServiceName);
    }

    [Fact]
    public void Resolve_StandardVariables_TurnTracingOnWithTheirEndpointAndServiceName()
    {
        var variables = new Dictionary<string, string>
        {
            [TelemetryOptions.EndpointVariable] = "http://collector:4318",
            [TelemetryOptions.ServiceNameVariable] = "slipway-eu",
        };

        var resolved = new TelemetryOptions().Resolve(variables.GetValueOrDefault);

        Assert.True(resolved.Enabled);
        Assert.Equal(new Uri("http://collector:4318/v1/traces"), resolved.TracesEndpoint);
        Assert.Equal("slipway-eu", resolved.ServiceName);
        Assert.Equal(TelemetryOptions.HttpProtobuf, resolved.Protocol);
    }

    [Fact]
    public void Resolve_ConfiguredEndpoint_WinsOverVariableAndKeepsAnExplicitTracesPath()
    {
        var variables = new Dictionary<string, string> { [TelemetryOptions.EndpointVariable] = "http://other:4318" };
        var options = new TelemetryOptions { OtlpEndpoint = "http://collector:4318/v1/traces" };

        Assert.Equal(new Uri("http://collector:4318/v1/traces"), options.Resolve(variables.GetValueOrDefault).TracesEndpoint);
    }

    [Fact]
    public void Resolve_GrpcProtocol_UsesTheEndpointAsIs()
    {
        var options = new TelemetryOptions { OtlpEndpoint = "http://collector:4317", Protocol = "grpc" };

        Assert.Equal(new Uri("http://collector:4317"), options.Resolve(NoVariables.GetValueOrDefault).TracesEndpoint);
    }

    [Fact]
    public void Resolve_ExplicitlyDisabled_StaysOffDespiteTheVariable()
    {
        var variables = new Dictionary<string, string> { [TelemetryOptions.EndpointVariable] = "http://collector:4318" };

        Assert.False(new TelemetryOptions { Enabled = false }.Resolve(variables.GetValueOrDefault).Enabled);
    }

    [Fact]
    public void Validate_BadSettings_ListsEveryProblem()
    {
        var options = new TelemetryOptions { SamplingRatio = 1.5, OtlpEndpoint = "collector:4318", Protocol = "thrift", ExportDelay = TimeSpan.Zero };

        var problems = options.Validate();

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.Contains("SamplingRatio", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("OtlpEndpoint", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Protocol", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("ExportDelay", StringComparison.Ordinal));
    }

    [Fact]
    public void BuildServer_BadSamplingRatio_RefusesWithTheProblem()
    {
        var options = new SlipwayServerOptions();
        options.Telemetry.SamplingRatio = 2;

        var error = Assert.Throws<SlipwayException>(() => SlipwayHost.Build(options));

        Assert.Contains("Slipway:Telemetry:SamplingRatio", error.Message, StringComparison.Ordinal);
    }
}
