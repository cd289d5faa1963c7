namespace Slipway.Storage.Compliance;

public sealed class SqliteRegistryStoreTests(SqliteServicesFixture fixture)
    : RegistryStoreCompliance(fixture), IClassFixture<SqliteServicesFixture>;

/// <summary>Needs <c>SLIPWAY_TEST_POSTGRES</c>; <c>./scripts/test.sh</c> starts a server and sets it.</summary>
public sealed class PostgresRegistryStoreTests(PostgresServicesFixture fixture)
    : RegistryStoreCompliance(fixture), IClassFixture<PostgresServicesFixture>;
