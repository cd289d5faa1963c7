using Slipway.Storage;

namespace Slipway.Operations.Tests.Backup;

/// <summary>Backend store URIs as messages print them: no password, wherever the URI carries it.</summary>
public sealed class BackendStoreRedactTests
{
    [Theory]
    [InlineData("postgresql://slipway:s3cret@db:5432/slipway", "postgresql://slipway:***@db:5432/slipway")]
    [InlineData("postgresql://slipway@db/slipway?password=s3cret", "postgresql://slipway@db/slipway?password=***")]
    [InlineData("postgresql://db/slipway?sslmode=require&Password=s3cret&Timeout=5", "postgresql://db/slipway?sslmode=require&Password=***&Timeout=5")]
    [InlineData("postgresql://db/slipway?PWD=s3cret", "postgresql://db/slipway?PWD=***")]
    [InlineData("postgresql://db/slipway?SSL%20Password=s3cret", "postgresql://db/slipway?SSL%20Password=***")]
    [InlineData("postgresql://u:p@ss@db/slipway?psw=s3cret", "postgresql://u:***@db/slipway?psw=***")]
    [InlineData("sqlite:///data/slipway.db", "sqlite:///data/slipway.db")]
    public void Redact_PasswordInUserInfoOrQuery_Masked(string uri, string expected)
    {
        var redacted = BackendStore.Redact(uri);

        Assert.Equal(expected, redacted);
        Assert.DoesNotContain("s3cret", redacted, StringComparison.Ordinal);
    }
}
