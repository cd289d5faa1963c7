namespace Slipway.Registry.Tests.Webhooks;

/// <summary>A send must end well inside the store's two-minute delivery lease, so the request timeout is bounded at start.</summary>
public sealed class WebhookOptionsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(61)]
    [InlineData(600)]
    public void Validate_RequestTimeoutNotPositiveOrOverAMinute_Reported(int seconds)
    {
        var options = new WebhookOptions { RequestTimeout = TimeSpan.FromSeconds(seconds) };

        var problem = Assert.Single(options.Validate());

        Assert.Contains("Registry:Webhooks:RequestTimeout", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Defaults_NoProblem() => Assert.Empty(new WebhookOptions().Validate());

    [Fact]
    public void Validate_RequestTimeoutAtTheMaximum_NoProblem() =>
        Assert.Empty(new WebhookOptions { RequestTimeout = WebhookOptions.MaxRequestTimeout }.Validate());
}
