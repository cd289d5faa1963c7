using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Slipway.Core.Errors;
using Slipway.Storage.Compliance.Fixtures;
using Slipway.Tracking.Domain;

namespace Slipway.Storage.Compliance;

/// <summary>
/// A write whose COMMIT reached PostgreSQL but whose answer was lost (the connection broke in between) must not be
/// re-run by the retry strategy: the change is applied once and the caller gets a 503-class error saying the outcome
/// is unknown. The fault is injected right after PostgreSQL really committed, exactly where a lost answer would surface.
/// </summary>
public sealed class CommitOutcomeTests : IAsyncLifetime
{
    private readonly LoseCommitAnswer _fault = new();
    private readonly FailFirstCommand _failFirstCommand = new();
    private readonly PostgresStoreFixture _fixture;

    public CommitOutcomeTests() => _fixture = new PostgresStoreFixture
    {
        ConfigureServices = s =>
        {
            s.AddSingleton<IInterceptor>(_fault);
            s.AddSingleton<IInterceptor>(_failFirstCommand);
        },
    };

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();

    [Fact]
    public async Task Write_ConnectionLostAfterCommitSent_NotReRunAndAnsweredTemporarilyUnavailable()
    {
        var name = "commit-lost-" + Guid.NewGuid().ToString("N");
        _fault.Armed = true;

        var error = await Assert.ThrowsAsync<SlipwayException>(() =>
            _fixture.Store.CreateExperimentAsync(name, null, [], 1_700_000_000_000, CancellationToken.None));

        Assert.Equal(ErrorCode.TemporarilyUnavailable, error.Code);
        Assert.Equal(503, error.Code.HttpStatus());
        Assert.Contains("may or may not have been applied", error.Message, StringComparison.Ordinal);
        Assert.False(_fault.Armed);
        // PostgreSQL did commit it, once.
        Assert.NotNull(await _fixture.Store.GetExperimentByNameAsync(name, CancellationToken.None));
    }

    [Fact]
    public async Task Write_TransientFailureBeforeCommit_IsRetriedAndApplied()
    {
        var name = "before-commit-" + Guid.NewGuid().ToString("N");
        _failFirstCommand.Armed = true;

        var id = await _fixture.Store.CreateExperimentAsync(name, null, [], 1_700_000_000_000, CancellationToken.None);

        Assert.False(_failFirstCommand.Armed);
        Assert.Equal(id, (await _fixture.Store.GetExperimentByNameAsync(name, CancellationToken.None))?.ExperimentId);
    }

    private static NpgsqlException Lost() => new("Exception while reading from stream", new IOException("Connection reset by peer"));

    /// <summary>Once armed, fails the next COMMIT after PostgreSQL applied it, with the error a broken connection gives.</summary>
    private sealed class LoseCommitAnswer : DbTransactionInterceptor
    {
        public volatile bool Armed;

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            if (Armed)
            {
                Armed = false;
                throw Lost();
            }
            return Task.CompletedTask;
        }
    }

    /// <summary>Once armed, fails the next command before it is sent, as a connection broken mid-transaction does.</summary>
    private sealed class FailFirstCommand : DbCommandInterceptor
    {
        public volatile bool Armed;

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
            Fail(result);

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            Fail(result);

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default) =>
            Fail(result);

        private ValueTask<T> Fail<T>(T result)
        {
            if (!Armed)
                return ValueTask.FromResult(result);
            Armed = false;
            throw Lost();
        }
    }
}
