using Slipway.Registry.Domain;

namespace Slipway.Registry.Hooks;

/// <summary>
/// An in-process listener told of each model version the registry has created, after its transaction committed (the
/// pipelines module registers one to start <c>on: model_version</c> pipelines). Implementations should return quickly
/// and handle their own errors: an exception is swallowed so the create request still succeeds.
/// </summary>
public interface IModelVersionCreatedHook
{
    Task OnModelVersionCreatedAsync(ModelVersion version, CancellationToken ct);
}
