namespace Slipway.Client.Tests.Client;

[CollectionDefinition(nameof(EnvironmentTests), DisableParallelization = true)]
public sealed class EnvironmentCollection;

/// <summary>Tests that change process environment variables; they run alone.</summary>
[Collection(nameof(EnvironmentTests))]
public sealed class EnvironmentTests
{
    [Fact]
    public void FromEnvironment_TrackingUriSet_UsesIt()
    {
        using var _ = new EnvironmentVariable(SlipwayClient.TrackingUriVariable, "http://tracking.example:8080/prefix");

        using var client = SlipwayClient.FromEnvironment();

        Assert.Equal(new Uri("http://tracking.example:8080/prefix/"), client.BaseAddress);
    }

    [Fact]
    public void FromEnvironment_TrackingUriUnset_UsesLocalDefault()
    {
        using var _ = new EnvironmentVariable(SlipwayClient.TrackingUriVariable, null);

        using var client = SlipwayClient.FromEnvironment();

        Assert.Equal(new Uri("http://127.0.0.1:5000/"), client.BaseAddress);
    }

    [Fact]
    public void FromEnvironment_FileTrackingUri_Throws()
    {
        using var _ = new EnvironmentVariable(SlipwayClient.TrackingUriVariable, "file:///tmp/mlruns");

        Assert.Throws<InvalidOperationException>(SlipwayClient.FromEnvironment);
    }

    private sealed class EnvironmentVariable : IDisposable
    {
        private readonly string _name;
        private readonly string? _previous;

        public EnvironmentVariable(string name, string? value)
        {
            _name = name;
            _previous = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }

        public void Dispose() => Environment.SetEnvironmentVariable(_name, _previous);
    }
}
