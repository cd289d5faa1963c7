namespace Slipway.Server.Tests.Infrastructure;

/// <summary>
/// Tests that load the machine (concurrent writers, a server killed mid-stream) run alone, after the parallel
/// ones, so that neither starves the other on a small CI machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadCollection
{
    public const string Name = "Load";
}
