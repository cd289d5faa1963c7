using Slipway.Security.Ui;

namespace Slipway.Web.Tests.Security;

public sealed class LocalReturnUrlTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/experiments/12")]
    [InlineData("/compare?runs=a,b#charts")]
    public void Sanitize_LocalPath_IsKept(string url) => Assert.Equal(url, LocalReturnUrl.Sanitize(url));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("experiments")]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("/\t/evil.example/")]
    [InlineData("/a\\b")]
    [InlineData("javascript:alert(1)")]
    public void Sanitize_AnythingOffTheSite_BecomesTheRoot(string? url) => Assert.Equal("/", LocalReturnUrl.Sanitize(url));

}
