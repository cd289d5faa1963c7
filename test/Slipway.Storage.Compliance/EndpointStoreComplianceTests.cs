namespace Slipway.Storage.Compliance;

public sealed class SqliteEndpointStoreTests(SqliteServicesFixture fixture)
    : EndpointStoreCompliance(fixture), IClassFixture<SqliteServicesFixture>;

/// <summary>Needs <c>SLIPWAY_TEST_POSTGRES</c>; <c>./scripts/test.sh</c> starts a server and sets it.</summary>
public sealed class PostgresEndpointStoreTests(PostgresServicesFixture fixture)
    : EndpointStoreCompliance(fixture), IClassFixture<PostgresServicesFixture>;
