namespace Slipway.Storage.Compliance;

public sealed class SqliteMonitorStoreTests(SqliteServicesFixture fixture)
    : MonitorStoreCompliance(fixture), IClassFixture<SqliteServicesFixture>;

/// <summary>Needs <c>SLIPWAY_TEST_POSTGRES</c>; <c>./scripts/test.sh</c> starts a server and sets it.</summary>
public sealed class PostgresMonitorStoreTests(PostgresServicesFixture fixture)
    : MonitorStoreCompliance(fixture), IClassFixture<PostgresServicesFixture>;
