using System.Text.RegularExpressions;
using Slipway.Pipelines.Executors.Kubernetes;

namespace Slipway.Pipelines.Tests.Kubernetes;

public partial class KubernetesNamesTests
{
    [Theory]
    [InlineData("churn", "prepare")]
    [InlineData("Churn Model (EU) — nightly retrain of the gradient boosted trees for every market", "train_the_model_with_all_features_and_a_very_long_step_identifier")]
    [InlineData("___", "_")]
    [InlineData("ÄÖÜ", "-x-")]
    [InlineData("a", "UPPER_case-Step")]
    public void JobName_AnyIds_IsDnsLabelOfAtMost63Characters(string pipeline, string step)
    {
        var name = KubernetesNames.JobName(pipeline, "0123456789abcdef0123456789abcdef", step, 12);

        Assert.True(name.Length <= 63, $"{name} has {name.Length} characters");
        Assert.Matches(DnsLabel(), name);
        Assert.Contains("-a12-", name, StringComparison.Ordinal);
    }

    [Fact]
    public void JobName_ReadablePartsKeptWhenShort()
    {
        var name = KubernetesNames.JobName("churn", "run-1", "train_model", 1);

        Assert.StartsWith("churn-train-model-a1-", name, StringComparison.Ordinal);
    }

    [Fact]
    public void JobName_LongStepIdsSharingAPrefix_StayDistinct()
    {
        var prefix = new string('s', 80);

        var first = KubernetesNames.JobName("p", "run", prefix + "1", 1);
        var second = KubernetesNames.JobName("p", "run", prefix + "2", 1);

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void JobName_IsDeterministicAndDiffersByRunAndAttempt()
    {
        var name = KubernetesNames.JobName("churn", "run-1", "fit", 1);

        Assert.Equal(name, KubernetesNames.JobName("churn", "run-1", "fit", 1));
        Assert.NotEqual(name, KubernetesNames.JobName("churn", "run-2", "fit", 1));
        Assert.NotEqual(name, KubernetesNames.JobName("churn", "run-1", "fit", 2));
    }

    [Theory]
    [InlineData("churn model/eu", "churn-model-eu")]
    [InlineData("_step_", "step")]
    [InlineData("-.-", "")]
    public void LabelValue_SanitisesText(string text, string expected)
    {
        Assert.Equal(expected, KubernetesNames.LabelValue(text));
        Assert.True(KubernetesNames.IsLabelValue(expected));
    }

    [Fact]
    public void LabelValue_LongText_IsCutTo63()
    {
        var value = KubernetesNames.LabelValue(new string('a', 62) + "-bbbb");

        Assert.Equal(new string('a', 62), value);
    }

    [Theory]
    [InlineData("500m", true)]
    [InlineData("4Gi", true)]
    [InlineData("2", true)]
    [InlineData("1e3", true)]
    [InlineData("0.5", true)]
    [InlineData("4 GB", false)]
    [InlineData("lots", false)]
    public void IsQuantity_RecognisesKubernetesQuantities(string value, bool expected) =>
        Assert.Equal(expected, KubernetesNames.IsQuantity(value));

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
