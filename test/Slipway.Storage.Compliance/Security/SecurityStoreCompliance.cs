using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Core.Security;

namespace Slipway.Storage.Compliance.Security;

/// <summary>
/// The behaviour every <see cref="ISecurityStore"/> provider must share: users here, tokens and grants in the other
/// partial files. Inherited by <see cref="SqliteSecurityStoreTests"/> and <see cref="PostgresSecurityStoreTests"/>; tests
/// share one database per class, so each uses names of its own.
/// </summary>
public abstract partial class SecurityStoreCompliance(ServicesFixture fixture)
{
    private const long Now = 1_700_000_000_000;
    private const string FakeHash = "pbkdf2-sha256$10000$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=";
    private static readonly AuditContext Root = new("root", "req-root");

    private ISecurityStore Store => fixture.Get<ISecurityStore>();

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task CreateUser_ThenFind_RoundTripsAndAudits()
    {
        var name = Unique("user");
        var created = await Store.CreateUserAsync(User(name, roles: ["approver", "ops"]), Root, Ct);

        var found = await Store.FindUserAsync(name, Ct);
        var events = await EventsAsync("users/" + name);

        Assert.Equal(name, found!.Name);
        Assert.Equal(FakeHash, found.PasswordHash);
        Assert.Equal(["approver", "ops"], found.Roles);
        Assert.Equal((Now, Now), (found.CreationTime, found.LastUpdateTime));
        Assert.Equal(created.Roles, found.Roles);
        var audited = Assert.Single(events);
        Assert.Equal(("user.created", "root", "req-root"), (audited.Action, audited.Actor, audited.RequestId));
    }

    [Fact]
    public async Task CreateUser_Duplicate_ThrowsAlreadyExists()
    {
        var name = Unique("dup");
        await Store.CreateUserAsync(User(name), Root, Ct);

        var error = await Assert.ThrowsAsync<SlipwayException>(() => Store.CreateUserAsync(User(name, admin: true), Root, Ct));

        Assert.Equal(ErrorCode.ResourceAlreadyExists, error.Code);
        Assert.False((await Store.FindUserAsync(name, Ct))!.IsAdmin);
    }

    [Fact]
    public async Task UnknownUser_FindIsNull_UpdateAndDeleteThrowNotFound()
    {
        var name = Unique("ghost");

        var update = await Assert.ThrowsAsync<SlipwayException>(() => Store.UpdateUserAsync(name, new UserUpdate(IsAdmin: true), Now, Root, Ct));
        var delete = await Assert.ThrowsAsync<SlipwayException>(() => Store.DeleteUserAsync(name, Now, Root, Ct));

        Assert.Null(await Store.FindUserAsync(name, Ct));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, update.Code);
        Assert.Equal(ErrorCode.ResourceDoesNotExist, delete.Code);
    }

    [Fact]
    public async Task UpdateUser_ChangesOnlyGivenFields()
    {
        var name = Unique("upd");
        await Store.CreateUserAsync(User(name, roles: ["approver"]), Root, Ct);

        var admin = await Store.UpdateUserAsync(name, new UserUpdate(IsAdmin: true), Now + 1, Root, Ct);
        var roles = await Store.UpdateUserAsync(name, new UserUpdate(Roles: []), Now + 2, Root, Ct);
        var password = await Store.UpdateUserAsync(name, new UserUpdate(PasswordHash: "pbkdf2-sha256$1$AA==$AA=="), Now + 3, Root, Ct);

        Assert.Equal((true, FakeHash), (admin.IsAdmin, admin.PasswordHash));
        Assert.Equal(["approver"], admin.Roles);
        Assert.Equal((true, 0), (roles.IsAdmin, roles.Roles.Count));
        Assert.Equal(("pbkdf2-sha256$1$AA==$AA==", true, Now + 3, Now), (password.PasswordHash, password.IsAdmin, password.LastUpdateTime, password.CreationTime));
        var found = await Store.FindUserAsync(name, Ct);
        Assert.Equal((password.PasswordHash, password.IsAdmin, password.LastUpdateTime), (found!.PasswordHash, found.IsAdmin, found.LastUpdateTime));
    }

    [Fact]
    public async Task ListAndCountUsers_IncludeEveryUser_OrderedByName()
    {
        var prefix = Unique("list");
        await Store.CreateUserAsync(User(prefix + "-b"), Root, Ct);
        await Store.CreateUserAsync(User(prefix + "-a"), Root, Ct);

        var users = await Store.ListUsersAsync(Ct);
        var count = await Store.CountUsersAsync(Ct);

        var mine = users.Where(u => u.Name.StartsWith(prefix, StringComparison.Ordinal)).Select(u => u.Name).ToList();
        Assert.Equal([prefix + "-a", prefix + "-b"], mine);
        Assert.Equal(users.Count, count);
        Assert.Equal(users.Select(u => u.Name).Order(StringComparer.Ordinal), users.Select(u => u.Name));
    }

    [Fact]
    public async Task AppendAudit_RecordsActionActorAndDetail()
    {
        var resource = "users/" + Unique("signin");

        await Store.AppendAuditAsync("auth.signin_failed", resource, new { method = "password", reason = "bad password" }, Root, Ct);

        var audited = Assert.Single(await EventsAsync(resource));
        Assert.Equal(("auth.signin_failed", "root"), (audited.Action, audited.Actor));
        Assert.Contains("\"reason\":\"bad password\"", audited.After);
    }

    private async Task<IReadOnlyList<AuditEvent>> EventsAsync(string resource) =>
        (await fixture.Audit.SearchAsync(new AuditQuery(resource, null, null, 100, 0), Ct)).Items;

    private static SlipwayUser User(string name, bool admin = false, IReadOnlyList<string>? roles = null) =>
        new(name, FakeHash, admin, roles ?? [], Now, Now);

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];
}

public sealed class SqliteSecurityStoreTests(SqliteServicesFixture fixture)
    : SecurityStoreCompliance(fixture), IClassFixture<SqliteServicesFixture>;

public sealed class PostgresSecurityStoreTests(PostgresServicesFixture fixture)
    : SecurityStoreCompliance(fixture), IClassFixture<PostgresServicesFixture>;
