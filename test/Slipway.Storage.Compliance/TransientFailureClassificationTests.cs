using Npgsql;

namespace Slipway.Storage.Compliance;

/// <summary>
/// Every store read and write runs under Npgsql's retrying execution strategy (<c>EnableRetryOnFailure</c>), which
/// re-runs the whole read or transaction when the failure is transient by <see cref="NpgsqlException.IsTransient"/>.
/// docs/scale-out.md promises retries for these SQLSTATEs; this pins that promise to the driver in use. (The
/// two-replica tests kill every backend connection under load to check the end-to-end behaviour.)
/// </summary>
public sealed class TransientFailureClassificationTests
{
    [Theory]
    [InlineData("40001")] // serialization_failure
    [InlineData("40P01")] // deadlock_detected
    [InlineData("57P01")] // admin_shutdown: pg_terminate_backend, a server restart or failover
    [InlineData("57P03")] // cannot_connect_now: the server is starting
    [InlineData("53300")] // too_many_connections
    [InlineData("08006")] // connection_failure
    public void PostgresException_TransientSqlState_IsRetried(string sqlState) =>
        Assert.True(new PostgresException("transient", "FATAL", "FATAL", sqlState).IsTransient, sqlState);

    [Theory]
    [InlineData("23505")] // unique_violation: handled by StoreExecutor's own re-run, which then sees the winner's row
    [InlineData("42P01")] // undefined_table: a bug or a missing migration, never retried
    public void PostgresException_PermanentSqlState_IsNotRetried(string sqlState) =>
        Assert.False(new PostgresException("permanent", "ERROR", "ERROR", sqlState).IsTransient, sqlState);
}
