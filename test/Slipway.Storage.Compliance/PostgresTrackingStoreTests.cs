using Slipway.Storage.Compliance.Fixtures;

namespace Slipway.Storage.Compliance;

/// <summary>Needs <c>SLIPWAY_TEST_POSTGRES</c>; <c>./scripts/test.sh</c> starts a server and sets it.</summary>
public sealed class PostgresTrackingStoreTests(PostgresStoreFixture fixture)
    : TrackingStoreCompliance(fixture), IClassFixture<PostgresStoreFixture>;
