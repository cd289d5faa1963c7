namespace Slipway.Client.Tests.Client;

/// <summary>Credentials from MLflow's environment variables; these tests change the process environment, so they run alone.</summary>
[Collection(nameof(EnvironmentTests))]
public sealed class GovernanceEnvironmentTests
{
    [Fact]
    public void FromEnvironment_TrackingUserAndPasswordSet_UsesThem()
    {
        using var user = new Variable(SlipwayClient.UserNameVariable, "alice");
        using var password = new Variable(SlipwayClient.PasswordVariable, "s3cret");

        using var client = SlipwayClient.FromEnvironment();

        Assert.Equal("alice", client.UserName);
        Assert.Equal("s3cret", client.Password);
    }

    [Fact]
    public void FromEnvironment_TrackingUserUnset_NoCredentials()
    {
        using var user = new Variable(SlipwayClient.UserNameVariable, null);
        using var password = new Variable(SlipwayClient.PasswordVariable, null);

        using var client = SlipwayClient.FromEnvironment();

        Assert.Null(client.UserName);
        Assert.Null(client.Password);
    }

    private sealed class Variable : IDisposable
    {
        private readonly string _name;
        private readonly string? _previous;

        public Variable(string name, string? value)
        {
            _name = name;
            _previous = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }

        public void Dispose() => Environment.SetEnvironmentVariable(_name, _previous);
    }
}
