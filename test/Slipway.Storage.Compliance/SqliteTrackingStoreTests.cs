using Slipway.Storage.Compliance.Fixtures;

namespace Slipway.Storage.Compliance;

public sealed class SqliteTrackingStoreTests(SqliteStoreFixture fixture)
    : TrackingStoreCompliance(fixture), IClassFixture<SqliteStoreFixture>;
