using System.Net;
using Slipway.Security.Credentials;

namespace Slipway.Security.Tests.Core;

/// <summary>The password hash, the token format and the sign-in throttle on their own.</summary>
public sealed class CredentialTests
{
    private static readonly SecurityOptions Fast = new() { PasswordIterations = 10_000 };

    [Fact]
    public void A_password_hash_is_salted_self_describing_and_verifies_only_the_right_password()
    {
        var hasher = new PasswordHasher(Fast);

        var first = hasher.Hash("correct horse battery");
        var second = hasher.Hash("correct horse battery");

        Assert.StartsWith("pbkdf2-sha256$10000$", first);
        Assert.NotEqual(first, second);
        Assert.True(PasswordHasher.Verify("correct horse battery", first));
        Assert.False(PasswordHasher.Verify("correct horse batterY", first));
        Assert.False(PasswordHasher.Verify("correct horse battery", first[..^4] + "AAA="));
        Assert.False(PasswordHasher.Verify("x", "md5$abc"));
        Assert.False(PasswordHasher.Verify("x", null));
    }

    [Fact]
    public void Hashes_keep_their_own_iteration_count_so_raising_the_setting_still_verifies_old_ones()
    {
        var old = new PasswordHasher(Fast).Hash("an old password");

        Assert.True(PasswordHasher.Verify("an old password", old));
        Assert.StartsWith("pbkdf2-sha256$600000$", new PasswordHasher(new SecurityOptions()).Hash("a new password"));
    }

    [Fact]
    public void Token_secrets_are_random_prefixed_and_stored_only_as_their_sha256()
    {
        var (secret, hash, prefix) = TokenCodec.NewSecret();
        var (other, _, _) = TokenCodec.NewSecret();

        Assert.StartsWith("slw_", secret);
        Assert.Equal(47, secret.Length);
        Assert.NotEqual(secret, other);
        Assert.Equal(64, hash.Length);
        Assert.DoesNotContain(secret[4..], hash, StringComparison.Ordinal);
        Assert.Equal(hash, TokenCodec.HashOf(secret));
        Assert.Equal(secret[..12], prefix);
        Assert.True(TokenCodec.LooksLikeToken(secret));
        Assert.False(TokenCodec.LooksLikeToken("eyJhbGciOiJSUzI1NiJ9.e30.sig"));
    }

    [Fact]
    public void The_throttle_blocks_a_user_after_the_allowed_failures_until_the_window_passes()
    {
        var clock = new ManualClock();
        var throttle = new SignInThrottle(new SecurityOptions { MaxFailedSignIns = 3, FailureWindow = TimeSpan.FromMinutes(1) }, clock);
        var client = IPAddress.Parse("10.0.0.7");

        Assert.False(throttle.RecordFailure("alice", client));
        Assert.False(throttle.RecordFailure("alice", client));
        Assert.Null(throttle.RetryAfter("alice", client));
        Assert.True(throttle.RecordFailure("alice", client));

        Assert.Equal(TimeSpan.FromMinutes(1), throttle.RetryAfter("alice", IPAddress.Parse("10.0.0.8")));
        Assert.Null(throttle.RetryAfter("bob", IPAddress.Parse("10.0.0.8")));
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Null(throttle.RetryAfter("alice", client));
    }

    [Fact]
    public void An_address_guessing_many_names_is_blocked_at_four_times_the_per_user_allowance()
    {
        var clock = new ManualClock();
        var throttle = new SignInThrottle(new SecurityOptions { MaxFailedSignIns = 2 }, clock);
        var client = IPAddress.Parse("10.0.0.9");

        for (var i = 0; i < 7; i++)
            throttle.RecordFailure("user" + i, client);
        Assert.Null(throttle.RetryAfter("someone-else", client));
        throttle.RecordFailure("user7", client);

        Assert.NotNull(throttle.RetryAfter("someone-else", client));
        Assert.Null(throttle.RetryAfter("someone-else", IPAddress.Parse("10.0.0.10")));
    }

    [Fact]
    public void A_success_clears_the_users_count()
    {
        var throttle = new SignInThrottle(new SecurityOptions { MaxFailedSignIns = 2 }, new ManualClock());

        throttle.RecordFailure("carol", null);
        throttle.RecordSuccess("carol");
        Assert.False(throttle.RecordFailure("carol", null));
        Assert.True(throttle.RecordFailure("carol", null));
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
