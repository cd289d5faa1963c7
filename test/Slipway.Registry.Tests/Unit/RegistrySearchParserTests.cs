using Slipway.Core.Errors;
using Slipway.Registry.Search;
using Slipway.Tracking.Search;

namespace Slipway.Registry.Tests.Unit;

public sealed class RegistrySearchParserTests
{
    [Theory]
    [InlineData("name = 'iris'", "name", Comparator.Equal)]
    [InlineData("name LIKE 'ir%'", "name", Comparator.Like)]
    [InlineData("attributes.name ILIKE '%IS'", "name", Comparator.ILike)]
    [InlineData("name != 'iris'", "name", Comparator.NotEqual)]
    public void ParseModelFilter_NameClause_Attribute(string filter, string key, Comparator comparator)
    {
        var clause = Assert.Single(RegistrySearchParser.ParseModelFilter(filter));

        Assert.Equal(new FilterClause(EntityKind.Attribute, key, comparator, clause.Value), clause);
        Assert.NotNull(clause.Value.Text);
    }

    [Fact]
    public void ParseModelFilter_TagClauses_KeepTagKey()
    {
        var clauses = RegistrySearchParser.ParseModelFilter("tags.team = 'ml' AND tag.`mlflow.prompt.is_prompt` != 'true'");

        Assert.Equal(2, clauses.Count);
        Assert.Equal((EntityKind.Tag, "team", Comparator.Equal, "ml"), (clauses[0].Kind, clauses[0].Key, clauses[0].Comparator, clauses[0].Value.Text));
        Assert.Equal((EntityKind.Tag, "mlflow.prompt.is_prompt", Comparator.NotEqual, "true"), (clauses[1].Kind, clauses[1].Key, clauses[1].Comparator, clauses[1].Value.Text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void ParseModelFilter_Empty_NoClauses(string? filter)
    {
        Assert.Empty(RegistrySearchParser.ParseModelFilter(filter));
    }

    [Theory]
    [InlineData("run_id = 'abc'")]
    [InlineData("version_number = 1")]
    [InlineData("source_path = 's3://x'")]
    [InlineData("creation_timestamp > 0")]
    public void ParseModelFilter_VersionOnlyOrUnknownKey_InvalidKeyMessageListsValidKeys(string filter)
    {
        var error = Assert.Throws<SlipwayException>(() => RegistrySearchParser.ParseModelFilter(filter));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("Invalid attribute key", error.Message, StringComparison.Ordinal);
        Assert.Contains("name", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("metrics.auc > 1")]
    [InlineData("params.lr = '1'")]
    public void ParseModelFilter_RunEntityType_InvalidEntityType(string filter)
    {
        var error = Assert.Throws<SlipwayException>(() => RegistrySearchParser.ParseModelFilter(filter));

        Assert.Contains("Invalid entity type", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("name IN ('a', 'b')")]
    [InlineData("tags.k IN ('a', 'b')")]
    public void ParseModelFilter_ListComparison_Rejected(string filter)
    {
        var error = Assert.Throws<SlipwayException>(() => RegistrySearchParser.ParseModelFilter(filter));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
    }

    [Fact]
    public void ParseVersionFilter_TagIn_RejectedAsListComparison()
    {
        var error = Assert.Throws<SlipwayException>(() => RegistrySearchParser.ParseVersionFilter("tags.k IN ('a')"));

        Assert.Contains("list", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseVersionFilter_ValidKeys_CanonicalAttributes()
    {
        var clauses = RegistrySearchParser.ParseVersionFilter(
            "name = 'iris' AND run_id IN ('a', 'b') AND source_path LIKE 's3://%' AND version_number >= 2 AND tags.stage = 'x'");

        Assert.Equal(
            [(EntityKind.Attribute, "name"), (EntityKind.Attribute, "run_id"), (EntityKind.Attribute, "source"), (EntityKind.Attribute, "version_number"), (EntityKind.Tag, "stage")],
            clauses.Select(c => (c.Kind, c.Key)));
        Assert.Equal(["a", "b"], clauses[1].Value.List!);
        Assert.Equal(Comparator.In, clauses[1].Comparator);
        Assert.Equal(2, clauses[3].Value.Number);
    }

    [Theory]
    [InlineData("version_number = '2'")]
    [InlineData("version_number LIKE '2%'")]
    [InlineData("run_id > 'a'")]
    [InlineData("current_stage = 'Production'")]
    [InlineData("tags.k > 'a'")]
    public void ParseVersionFilter_WrongValueOrComparatorOrKey_InvalidParameter(string filter)
    {
        var error = Assert.Throws<SlipwayException>(() => RegistrySearchParser.ParseVersionFilter(filter));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
    }

    [Theory]
    [InlineData("name", "name", true)]
    [InlineData("name DESC", "name", false)]
    [InlineData("timestamp", "creation_timestamp", true)]
    [InlineData("timestamp DESC", "creation_timestamp", false)]
    [InlineData("creation_timestamp ASC", "creation_timestamp", true)]
    [InlineData("last_updated_timestamp DESC", "last_updated_timestamp", false)]
    public void ParseModelOrderBy_ValidKey_Canonical(string entry, string key, bool ascending)
    {
        var clause = Assert.Single(RegistrySearchParser.ParseModelOrderBy([entry]));

        Assert.Equal(new OrderClause(EntityKind.Attribute, key, ascending), clause);
    }

    [Fact]
    public void ParseVersionOrderBy_VersionNumberAndTimestamp_Canonical()
    {
        var clauses = RegistrySearchParser.ParseVersionOrderBy(["version_number DESC", "timestamp"]);

        Assert.Equal([new OrderClause(EntityKind.Attribute, "version_number", false), new OrderClause(EntityKind.Attribute, "creation_timestamp", true)], clauses);
    }

    [Theory]
    [InlineData("version_number")]
    [InlineData("tags.team")]
    [InlineData("metrics.auc")]
    [InlineData("owner")]
    public void ParseModelOrderBy_InvalidKey_MessageListsValidKeys(string entry)
    {
        var error = Assert.Throws<SlipwayException>(() => RegistrySearchParser.ParseModelOrderBy([entry]));

        Assert.Contains("Invalid order by key", error.Message, StringComparison.Ordinal);
        Assert.Contains("last_updated_timestamp", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("name", "name DESC")]
    [InlineData("timestamp", "creation_timestamp DESC")]
    public void ParseModelOrderBy_DuplicateField_InvalidParameter(string first, string second)
    {
        var error = Assert.Throws<SlipwayException>(() => RegistrySearchParser.ParseModelOrderBy([first, second]));

        Assert.Contains("duplicate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseVersionOrderBy_DuplicateField_InvalidParameter()
    {
        var error = Assert.Throws<SlipwayException>(() => RegistrySearchParser.ParseVersionOrderBy(["version_number", "version_number DESC"]));

        Assert.Contains("duplicate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseOrderBy_NullOrEmpty_NoClauses()
    {
        Assert.Empty(RegistrySearchParser.ParseModelOrderBy(null));
        Assert.Empty(RegistrySearchParser.ParseVersionOrderBy([]));
    }
}
