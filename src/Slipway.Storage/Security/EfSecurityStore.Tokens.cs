using Microsoft.EntityFrameworkCore;
using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Core.Security;
using Slipway.Storage.Audit;
using static Slipway.Storage.Security.SecurityRowMapping;

namespace Slipway.Storage.Security;

// Access tokens: created once with their hash, found by hash on every authenticated request, revoked for good.
internal sealed partial class EfSecurityStore
{
    public Task<AccessToken> CreateTokenAsync(AccessToken token, AuditContext audit, CancellationToken ct) =>
        executor.WriteAsync(async db =>
        {
            if (await db.AccessTokens.AnyAsync(t => t.Id == token.Id || t.Hash == token.Hash, ct))
                throw SlipwayException.AlreadyExists($"Token '{token.Id}' already exists.");
            var row = ToRow(token);
            db.AccessTokens.Add(row);
            AuditLog.Append(db, audit, SecurityAudit.TokenCreated, SecurityAudit.TokenResource(row), null, SecurityAudit.TokenDocument(row), token.CreationTime);
            return ToToken(row);
        }, ct);

    public Task<AccessToken?> FindTokenByHashAsync(string hash, CancellationToken ct) =>
        executor.ReadAsync(async db =>
        {
            var row = await db.AccessTokens.FirstOrDefaultAsync(t => t.Hash == hash, ct);
            return row is null ? null : ToToken(row);
        }, ct);

    public Task<AccessToken?> GetTokenAsync(string id, CancellationToken ct) =>
        executor.ReadAsync(async db =>
        {
            var row = await db.AccessTokens.FirstOrDefaultAsync(t => t.Id == id, ct);
            return row is null ? null : ToToken(row);
        }, ct);

    public Task<IReadOnlyList<AccessToken>> ListTokensAsync(TokenKind? kind, string? subject, CancellationToken ct) =>
        executor.ReadAsync<IReadOnlyList<AccessToken>>(async db =>
        {
            var query = db.AccessTokens.AsQueryable();
            if (kind is { } k)
            {
                var stored = FormatKind(k);
                query = query.Where(t => t.Kind == stored);
            }
            if (subject is not null)
                query = query.Where(t => t.Subject == subject);
            var rows = await query.OrderByDescending(t => t.CreationTime).ThenByDescending(t => t.Id).ToListAsync(ct);
            return rows.ConvertAll(ToToken);
        }, ct);

    public Task<AccessToken> RevokeTokenAsync(string id, long now, AuditContext audit, CancellationToken ct) =>
        executor.WriteAsync(async db =>
        {
            var row = await db.AccessTokens.AsTracking().FirstOrDefaultAsync(t => t.Id == id, ct)
                ?? throw SlipwayException.NotFound($"Token '{id}' does not exist.");
            // Revoking twice is not an error and keeps the first time, so the audit trail shows one revocation.
            if (row.RevokedTime is null)
            {
                SecurityAudit.AppendTokenRevoked(db, audit, row, now);
                row.RevokedTime = now;
            }
            return ToToken(row);
        }, ct);

    public Task TouchTokenAsync(string id, long now, CancellationToken ct) =>
        executor.WriteAsync(async db =>
            await db.AccessTokens.Where(t => t.Id == id && (t.LastUsedTime == null || t.LastUsedTime < now))
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedTime, now), ct), ct);

    public Task<bool> EndpointRequiresTokenAsync(string endpoint, CancellationToken ct) =>
        executor.ReadAsync(db => db.AccessTokens.AnyAsync(t => t.Kind == EndpointKind && t.Subject == endpoint && t.RevokedTime == null, ct), ct);
}
