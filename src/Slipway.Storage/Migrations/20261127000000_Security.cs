using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Slipway.Storage.Migrations;

/// <summary>
/// Users (salted password hash, admin flag, roles as a JSON array), access tokens (only the SHA-256 of the secret, unique)
/// and per-resource permission grants. Hand-written and provider-neutral like <see cref="Pipelines"/>: CLR column types
/// and "C" collation on PostgreSQL text, so names compare byte for byte on both providers.
/// </summary>
[DbContext(typeof(SlipwayDbContext))]
[Migration("20261127000000_Security")]
public sealed class Security : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var collation = migrationBuilder.ActiveProvider == "Microsoft.EntityFrameworkCore.Sqlite" ? null : "C";
        migrationBuilder.CreateTable(
            name: "users",
            columns: table => new
            {
                name = table.Column<string>(collation: collation, nullable: false),
                password_hash = table.Column<string>(collation: collation, nullable: true),
                is_admin = table.Column<bool>(nullable: false),
                roles = table.Column<string>(collation: collation, nullable: false),
                creation_time = table.Column<long>(nullable: false),
                last_update_time = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_users", x => x.name));

        migrationBuilder.CreateTable(
            name: "access_tokens",
            columns: table => new
            {
                id = table.Column<string>(collation: collation, nullable: false),
                kind = table.Column<string>(collation: collation, nullable: false),
                subject = table.Column<string>(collation: collation, nullable: false),
                name = table.Column<string>(collation: collation, nullable: false),
                prefix = table.Column<string>(collation: collation, nullable: false),
                hash = table.Column<string>(collation: collation, nullable: false),
                creation_time = table.Column<long>(nullable: false),
                expiry_time = table.Column<long>(nullable: true),
                revoked_time = table.Column<long>(nullable: true),
                last_used_time = table.Column<long>(nullable: true),
                created_by = table.Column<string>(collation: collation, nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_access_tokens", x => x.id));
        migrationBuilder.CreateIndex("ix_access_tokens_hash", "access_tokens", "hash", unique: true);
        migrationBuilder.CreateIndex("ix_access_tokens_kind_subject", "access_tokens", ["kind", "subject"]);

        migrationBuilder.CreateTable(
            name: "permissions",
            columns: table => new
            {
                resource_kind = table.Column<string>(collation: collation, nullable: false),
                resource_key = table.Column<string>(collation: collation, nullable: false),
                user_name = table.Column<string>(collation: collation, nullable: false),
                level = table.Column<string>(collation: collation, nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_permissions", x => new { x.resource_kind, x.resource_key, x.user_name }));
        migrationBuilder.CreateIndex("ix_permissions_user_name", "permissions", "user_name");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("permissions");
        migrationBuilder.DropTable("access_tokens");
        migrationBuilder.DropTable("users");
    }
}
