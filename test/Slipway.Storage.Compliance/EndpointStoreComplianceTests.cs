namespace Slipway.Storage.Compliance;

public sealed class SqliteEndpointStoreTests(SqliteEndpointStoreFixture fixture)
    : EndpointStoreCompliance(fixture), IClassFixture<SqliteEndpointStoreFixture>;

/// <summary>Needs <c>SLIPWAY_TEST_POSTGRES</c>; <c>./scripts/test.sh</c> starts a server and sets it.</summary>
public sealed class PostgresEndpointStoreTests(PostgresEndpointStoreFixture fixture)
    : EndpointStoreCompliance(fixture), IClassFixture<PostgresEndpointStoreFixture>;
