namespace Slipway.Storage.Compliance;

public sealed class SqliteRegistryStoreTests(SqliteRegistryStoreFixture fixture)
    : RegistryStoreCompliance(fixture), IClassFixture<SqliteRegistryStoreFixture>;

/// <summary>Needs <c>SLIPWAY_TEST_POSTGRES</c>; <c>./scripts/test.sh</c> starts a server and sets it.</summary>
public sealed class PostgresRegistryStoreTests(PostgresRegistryStoreFixture fixture)
    : RegistryStoreCompliance(fixture), IClassFixture<PostgresRegistryStoreFixture>;
