using Slipway.Registry.Search;
using Slipway.Web.Pages.Models;

namespace Slipway.Web.Tests.Pages.Models;

/// <summary>Model names quoted for the registry filter read back exactly by the registry's own parser.</summary>
public sealed class RegistryFilterTests
{
    [Theory]
    [InlineData("churn")]
    [InlineData("it's")]
    [InlineData("say \"hi\"")]
    [InlineData("both ' and \" kinds")]
    [InlineData("back\\slash")]
    [InlineData("C:\\models\\churn")]
    [InlineData("a\\'b")]          // a backslash before ' : double quotes carry it
    [InlineData("a\\\"b")]         // a backslash before " : single quotes carry it
    [InlineData("two\\\\")]        // ends in a backslash pair, which reads back verbatim
    public void VersionsOf_ReadsBackAsTheSameName(string name)
    {
        var filter = RegistryFilter.VersionsOf(name);
        Assert.NotNull(filter);
        var clause = Assert.Single(RegistrySearchParser.ParseVersionFilter(filter));
        Assert.Equal("name", clause.Key);
        Assert.Equal(name, clause.Value.Text);
    }

    [Theory]
    [InlineData("trailing\\")]       // the backslash would escape the closing quote of either kind
    [InlineData("x\\' and y\\\"")]   // a backslash before each kind of quote
    public void Quote_TextTheTokenizerCannotReadBack_IsNull(string name) =>
        Assert.Null(RegistryFilter.Quote(name));

    [Fact]
    public void Quote_BothQuoteKinds_DoublesTheQuoteMarkUsed() =>
        Assert.Equal("'it''s \"x\"'", RegistryFilter.Quote("it's \"x\""));

    [Fact]
    public void Quote_LikePatternWithQuotes_IsAcceptedByTheModelFilter()
    {
        var pattern = RegistryFilter.Quote("%o'\"k%");
        var clause = Assert.Single(RegistrySearchParser.ParseModelFilter("name ILIKE " + pattern));
        Assert.Equal("%o'\"k%", clause.Value.Text);
    }
}
