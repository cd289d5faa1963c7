using Slipway.Client;
using Slipway.Pipelines.Execution;
using Slipway.Testing;

namespace Slipway.Pipelines.Tests.BuiltIn;

/// <summary>
/// A real Slipway server for the deploy step's tests, and what a user does around a rollout: register ONNX models
/// through the SDK (artifact upload + model version), and wait for endpoints; <see cref="DeployTraffic"/> sends the
/// requests.
/// </summary>
public sealed class DeployServerFixture : SlipwayServerFixture
{

    /// <summary>Logs <paramref name="onnx"/> as a run's <c>model/model.onnx</c> and registers it as the next version of <paramref name="name"/>.</summary>
    public async Task<string> RegisterAsync(string name, byte[] onnx)
    {
        var experiment = await Client.GetOrCreateExperimentAsync("deploy-models");
        var run = await Client.CreateRunAsync(experiment, "train-" + name);
        var folder = Directory.CreateTempSubdirectory("slipway-deploy-model-").FullName;
        try
        {
            var file = Path.Combine(folder, "model.onnx");
            await File.WriteAllBytesAsync(file, onnx);
            await Client.UploadArtifactAsync(run.Info, file, "model");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        try
        {
            await Client.CreateRegisteredModelAsync(name);
        }
        catch (SlipwayApiException e) when (e.ErrorCode == ApiErrorCodes.ResourceAlreadyExists)
        {
        }
        return (await Client.CreateModelVersionAsync(name, run.Info.ArtifactUri + "/model", run.Info.RunId)).Version;
    }

    /// <summary>Creates an endpoint and waits until every route serves.</summary>
    public async Task<ServingEndpoint> CreateEndpointAsync(EndpointSpec spec)
    {
        await Client.CreateEndpointAsync(spec);
        return await WaitForAsync(spec.Name, e => e.Status.Routes.All(r => r.State == "ready"));
    }

    public async Task<ServingEndpoint> WaitForAsync(string endpoint, Func<ServingEndpoint, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var current = await Client.GetEndpointAsync(endpoint);
            if (condition(current))
                return current;
            Assert.True(DateTime.UtcNow < deadline, $"endpoint {endpoint} never reached the expected state");
            await Task.Delay(50);
        }
    }

    /// <summary>A run standing in for the deploy step's child run.</summary>
    public async Task<string> CreateStepRunAsync()
    {
        var experiment = await Client.GetOrCreateExperimentAsync("deploy-steps");
        return (await Client.CreateRunAsync(experiment, "deploy")).Info.RunId;
    }

    public StepInvocation Invocation(IReadOnlyDictionary<string, string> with, string? runId = null, InMemoryStepLog? log = null) => new()
    {
        PipelineName = "deploy-tests",
        RunId = "pipeline-run",
        StepId = "deploy",
        Uses = "deploy",
        With = with,
        WorkingDirectory = Path.GetTempPath(),
        Log = log ?? new InMemoryStepLog(),
        TrackingUri = Server.BaseAddress.AbsoluteUri,
        MlflowRunId = runId,
    };

    /// <summary>A short unique name: endpoint names are at most 63 characters, so 8 random hex digits, not a whole GUID.</summary>
    public static new string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
}
