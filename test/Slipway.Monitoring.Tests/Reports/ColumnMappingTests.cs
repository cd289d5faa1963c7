using Slipway.Core.Errors;
using Slipway.Monitoring.Data;
using Slipway.Monitoring.Reports;
using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Tests.Reports;

public sealed class ColumnMappingTests
{
    private static readonly DataFrame Frame = new([
        DataColumn.Numeric("id", ColumnDtype.Int64, [1, 2]),
        DataColumn.Numeric("age", ColumnDtype.Int64, [30, 40]),
        DataColumn.Text("city", ["a", "b"]),
        DataColumn.Numeric("score", ColumnDtype.Float64, [0.1, 0.2]),
        DataColumn.Numeric("label", ColumnDtype.Int64, [0, 1]),
        DataColumn.Numeric("p0", ColumnDtype.Float64, [0.5, 0.6]),
        DataColumn.Numeric("p1", ColumnDtype.Float64, [0.5, 0.4]),
    ]);

    [Fact]
    public void Parse_YamlAndJson_GiveTheSameMapping()
    {
        const string yaml = """
            target: label
            prediction: [p0, p1]
            numerical_features: [age]
            categorical_features:
              - city
            id: id
            per_column_method: {age: psi}
            per_column_threshold:
              age: 0.2
            """;
        const string json = """
            {"target": "label", "prediction": ["p0", "p1"], "numerical_features": ["age"], "categorical_features": ["city"],
             "id": "id", "per_column_method": {"age": "psi"}, "per_column_threshold": {"age": 0.2}}
            """;

        var fromYaml = ColumnMappingFile.Parse(yaml, "mapping.yaml");
        var fromJson = ColumnMappingFile.Parse(json, "mapping.json");

        foreach (var mapping in new[] { fromYaml, fromJson })
        {
            Assert.Equal("label", mapping.Target);
            Assert.Equal(["p0", "p1"], mapping.Prediction);
            Assert.Equal(["age"], mapping.NumericalFeatures!);
            Assert.Equal(["city"], mapping.CategoricalFeatures!);
            Assert.Equal("id", mapping.Id);
            Assert.Equal("psi", mapping.PerColumnMethod["age"]);
            Assert.Equal(0.2, mapping.PerColumnThreshold["age"]);
        }
    }

    [Fact]
    public void Parse_SinglePrediction_IsAListOfOne()
    {
        var mapping = ColumnMappingFile.Parse("prediction: score\n", "m.yml");

        Assert.Equal(["score"], mapping.Prediction);
    }

    [Fact]
    public void Parse_WrongFields_ListsEveryProblem()
    {
        var error = Assert.Throws<SlipwayException>(() => ColumnMappingFile.Parse(
            """{"target": ["a"], "numerical_feature": ["x"], "per_column_threshold": {"x": "high"}, "text_features": ["t"]}""", "m.json"));

        Assert.Contains("'target' must be a column name", error.Message, StringComparison.Ordinal);
        Assert.Contains("unknown field 'numerical_feature'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'high' is not a finite number", error.Message, StringComparison.Ordinal);
        Assert.Contains("text and embedding drift are not implemented", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BrokenYaml_SaysSo()
    {
        var error = Assert.Throws<SlipwayException>(() => ColumnMappingFile.Parse("target: [unclosed\n", "m.yaml"));

        Assert.Contains("not valid YAML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_FeatureLists_TestOnlyThoseTargetAndPredictionWithForcedTypes()
    {
        var mapping = new ColumnMapping { Target = "label", Prediction = ["p0"], NumericalFeatures = ["age"], CategoricalFeatures = ["city"], Id = "id" };

        var (options, problems) = mapping.Apply(Frame, Frame, new DriftOptions { DriftShare = 0.3 });

        Assert.Empty(problems);
        Assert.Equal(["age", "city", "label", "p0"], options!.Columns!);
        Assert.Equal(ColumnType.Numerical, options.ColumnTypes!["age"]);
        Assert.Equal(ColumnType.Categorical, options.ColumnTypes["city"]);
        Assert.False(options.ColumnTypes.ContainsKey("label"));
        Assert.Equal(0.3, options.DriftShare);
    }

    [Fact]
    public void Apply_NoFeatureLists_TestsEverySharedColumnButIdAndDatetime()
    {
        var (options, problems) = new ColumnMapping { Id = "id", Datetime = "score" }.Apply(Frame, Frame, new DriftOptions());

        Assert.Empty(problems);
        Assert.Equal(["age", "city", "label", "p0", "p1"], options!.Columns!);
    }

    [Fact]
    public void Apply_UnknownColumns_NameTheColumnAndTheField()
    {
        var mapping = new ColumnMapping { NumericalFeatures = ["agee"], PerColumnThreshold = new Dictionary<string, double> { ["town"] = 0.1 } };

        var (options, problems) = mapping.Apply(Frame, Frame, new DriftOptions());

        Assert.Null(options);
        Assert.Contains("'agee' (numerical_features) is not a column of the reference data.", problems);
        Assert.Contains("'town' (per_column_threshold) is not a column of the current data.", problems);
    }

    [Fact]
    public void Apply_ColumnsDifferWithoutFeatureLists_ListsThem()
    {
        var current = new DataFrame([DataColumn.Numeric("age", ColumnDtype.Int64, [1]), DataColumn.Numeric("extra", ColumnDtype.Int64, [1])]);
        var reference = new DataFrame([DataColumn.Numeric("age", ColumnDtype.Int64, [1]), DataColumn.Numeric("gone", ColumnDtype.Int64, [1])]);

        var (options, problems) = new ColumnMapping().Apply(reference, current, new DriftOptions());

        Assert.Null(options);
        Assert.Contains(problems, p => p.StartsWith("columns only in the reference data: gone", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("columns only in the current data: extra", StringComparison.Ordinal));
    }

    [Fact]
    public void Apply_ColumnInTwoRoles_IsAProblem()
    {
        var mapping = new ColumnMapping { NumericalFeatures = ["age"], CategoricalFeatures = ["age"] };

        var (_, problems) = mapping.Apply(Frame, Frame, new DriftOptions());

        Assert.Contains("'age' is listed more than once (numerical_features, categorical_features).", problems);
    }
}
