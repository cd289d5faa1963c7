namespace Slipway.Security.Credentials;

/// <summary>
/// Drops what the authentication and access checks remember, so a change made through this process (a new password,
/// a revoked token, a changed grant, a deleted user) takes effect on the next request. Other replicas see it once
/// their cache lifetime (<see cref="SecurityOptions.AccessCacheLifetime"/>) has passed.
/// </summary>
public interface ISecurityCache
{
    void UserChanged(string user);

    void TokenChanged(string hash);

    void GrantsChanged();
}
