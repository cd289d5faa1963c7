namespace Slipway.Registry.Tests.Unit;

public sealed class AliasCacheTests
{
    private readonly ManualTimeProvider _clock = new();
    private readonly AliasCache _cache;

    public AliasCacheTests() => _cache = new AliasCache(new RegistryOptions { AliasCacheLifetime = TimeSpan.FromSeconds(5) }, _clock);

    [Fact]
    public void TryGet_NothingCached_Miss()
    {
        Assert.False(_cache.TryGet("m", "champion", out var version));
        Assert.Null(version);
    }

    [Fact]
    public void TryGet_AfterSet_HitWithVersion()
    {
        _cache.Set("m", "champion", 3, _cache.Generation("m"));

        Assert.True(_cache.TryGet("m", "champion", out var version));
        Assert.Equal(3, version);
        Assert.False(_cache.TryGet("m", "challenger", out _));
        Assert.False(_cache.TryGet("m2", "champion", out _));
    }

    [Fact]
    public void TryGet_AliasKnownAbsent_HitWithNull()
    {
        _cache.Set("m", "champion", null, _cache.Generation("m"));

        Assert.True(_cache.TryGet("m", "champion", out var version));
        Assert.Null(version);
    }

    [Fact]
    public void Invalidate_Model_DropsEveryAliasOfThatModelOnly()
    {
        _cache.Set("m", "champion", 1, _cache.Generation("m"));
        _cache.Set("m", "challenger", 2, _cache.Generation("m"));
        _cache.Set("other", "champion", 7, _cache.Generation("other"));

        _cache.Invalidate("m");

        Assert.False(_cache.TryGet("m", "champion", out _));
        Assert.False(_cache.TryGet("m", "challenger", out _));
        Assert.True(_cache.TryGet("other", "champion", out var version));
        Assert.Equal(7, version);
    }

    [Fact]
    public void InvalidateAll_DropsEveryModelsAliases()
    {
        _cache.Set("m", "champion", 1, _cache.Generation("m"));
        _cache.Set("other", "champion", 7, _cache.Generation("other"));

        _cache.InvalidateAll();

        Assert.False(_cache.TryGet("m", "champion", out _));
        Assert.False(_cache.TryGet("other", "champion", out _));
    }

    [Fact]
    public void Set_LookupOfAnUncachedModelOverlappedInvalidateAll_NotCached()
    {
        // A lookup for a model with no entry reads the generation, then a resync forgets everything, then the lookup
        // (which may have read the database before the missed change) finishes.
        var generation = _cache.Generation("uncached");

        _cache.InvalidateAll();
        _cache.Set("uncached", "champion", 1, generation);

        Assert.False(_cache.TryGet("uncached", "champion", out _));
        _cache.Set("uncached", "champion", 2, _cache.Generation("uncached"));
        Assert.True(_cache.TryGet("uncached", "champion", out var version));
        Assert.Equal(2, version);
    }

    [Fact]
    public void Set_LookupOverlappedInvalidateOfTheModelAfterInvalidateAll_NotCached()
    {
        _cache.InvalidateAll();
        var generation = _cache.Generation("m");

        _cache.Invalidate("m");
        _cache.Set("m", "champion", 1, generation);

        Assert.False(_cache.TryGet("m", "champion", out _));
    }

    [Fact]
    public void TryGet_JustBeforeLifetime_Hit()
    {
        _cache.Set("m", "champion", 1, _cache.Generation("m"));

        _clock.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromMilliseconds(1));

        Assert.True(_cache.TryGet("m", "champion", out _));
    }

    [Fact]
    public void TryGet_AtOrAfterLifetime_Miss()
    {
        _cache.Set("m", "champion", 1, _cache.Generation("m"));
        _cache.Set("m", "challenger", 2, _cache.Generation("m"));

        _clock.Advance(TimeSpan.FromSeconds(5));
        var atLifetime = _cache.TryGet("m", "champion", out _);
        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.False(atLifetime);
        Assert.False(_cache.TryGet("m", "challenger", out _));
    }

    [Fact]
    public void Set_AfterExpiry_FreshLifetime()
    {
        _cache.Set("m", "champion", 1, _cache.Generation("m"));
        _clock.Advance(TimeSpan.FromSeconds(10));

        _cache.Set("m", "champion", 2, _cache.Generation("m"));
        _clock.Advance(TimeSpan.FromSeconds(4));

        Assert.True(_cache.TryGet("m", "champion", out var version));
        Assert.Equal(2, version);
    }

    /// <summary>A clock that moves only when told; its timestamps tick in microseconds, unlike the system clock.</summary>
    private sealed class ManualTimeProvider : TimeProvider
    {
        private long _ticks = 1_000_000;

        public override long TimestampFrequency => 1_000_000;

        public override long GetTimestamp() => _ticks;

        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch.AddTicks(_ticks * 10);

        public void Advance(TimeSpan by) => _ticks += (long)(by.TotalSeconds * TimestampFrequency);
    }
}
