using Slipway.Registry.Webhooks;

namespace Slipway.Registry.Tests.Webhooks;

public sealed class WebhookBackoffTests
{
    private static readonly WebhookOptions Options = new()
    {
        InitialBackoff = TimeSpan.FromSeconds(2),
        MaxBackoff = TimeSpan.FromSeconds(60),
    };

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(5, 32)]
    [InlineData(6, 60)]
    [InlineData(200, 60)]
    public void Backoff_AfterAttempts_DoublesFromInitialUpToMax(int attempts, int expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), WebhookDispatcher.Backoff(Options, attempts));
}
