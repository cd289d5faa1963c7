using Slipway.Monitoring.Alerts;
using Slipway.Monitoring.Alerts.Notifiers;

namespace Slipway.Monitoring.Tests.Alerts;

public sealed class AlertLabelsTests
{
    [Fact]
    public void Fingerprint_SortsLabelsAndHashesThemStably()
    {
        var forward = new Dictionary<string, string> { ["alertname"] = "SlipwayFeatureDrift", ["feature"] = "age", ["monitor"] = "churn" };
        var backward = new Dictionary<string, string> { ["monitor"] = "churn", ["feature"] = "age", ["alertname"] = "SlipwayFeatureDrift" };

        // SHA-256 of "alertname\0SlipwayFeatureDrift\0feature\0age\0monitor\0churn\0", first 8 bytes (computed with Python's hashlib).
        Assert.Equal("df6ba64813e9545a", AlertLabels.Fingerprint(forward));
        Assert.Equal(AlertLabels.Fingerprint(forward), AlertLabels.Fingerprint(backward));
        Assert.NotEqual(AlertLabels.Fingerprint(forward), AlertLabels.Fingerprint(new Dictionary<string, string>(forward) { ["feature"] = "plan" }));
    }

    [Theory]
    [InlineData("feature_drift", "SlipwayFeatureDrift")]
    [InlineData("drift_share", "SlipwayDriftShare")]
    [InlineData("data_quality", "SlipwayDataQuality")]
    [InlineData("performance", "SlipwayPerformance")]
    public void AlertNameOf_Kind_IsPascalCasedWithPrefix(string kind, string expected) =>
        Assert.Equal(expected, AlertLabels.AlertNameOf(kind));

    [Theory]
    [InlineData("http://am:9093", "http://am:9093/api/v2/alerts")]
    [InlineData("http://am:9093/", "http://am:9093/api/v2/alerts")]
    [InlineData("https://proxy/alertmanager/", "https://proxy/alertmanager/api/v2/alerts")]
    [InlineData("http://am:9093/api/v2/alerts", "http://am:9093/api/v2/alerts")]
    public void AlertsUrl_BaseUrl_KeepsPrefixAndAppendsApiPathOnce(string baseUrl, string expected) =>
        Assert.Equal(expected, AlertmanagerNotifier.AlertsUrl(baseUrl));

    [Theory]
    [InlineData("https://hooks.slack.com/services/T0/B0/secret", "https://hooks.slack.com")]
    [InlineData("http://user:pass@10.0.0.5:8080/hook?token=x", "http://10.0.0.5:8080")]
    [InlineData("not a url", "(invalid URL)")]
    public void Redact_Url_KeepsSchemeHostAndPortOnly(string url, string expected) =>
        Assert.Equal(expected, AlertTargetAddresses.Redact(url));

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("fe80::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("10.0.0.5", false)]
    [InlineData("93.184.216.34", false)]
    public void IsLocal_Address_MatchesLoopbackLinkLocalAndUnspecified(string address, bool local) =>
        Assert.Equal(local, AlertTargetAddresses.IsLocal(System.Net.IPAddress.Parse(address)));
}
