using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Slipway.Storage.Migrations;

/// <summary>
/// Serving endpoints: one row per endpoint with its spec as JSON and a revision that serving processes follow.
/// Hand-written and provider-neutral like <see cref="Registry"/>: CLR column types and "C" collation on PostgreSQL
/// text columns, so that names compare and sort byte-wise on both providers.
/// </summary>
[DbContext(typeof(SlipwayDbContext))]
[Migration("20261124000000_Serving")]
public sealed class Serving : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var collation = migrationBuilder.ActiveProvider == "Microsoft.EntityFrameworkCore.Sqlite" ? null : "C";
        migrationBuilder.CreateTable(
            name: "endpoints",
            columns: table => new
            {
                name = table.Column<string>(collation: collation, nullable: false),
                spec = table.Column<string>(collation: collation, nullable: false),
                revision = table.Column<long>(nullable: false),
                creation_time = table.Column<long>(nullable: false),
                last_updated_time = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_endpoints", x => x.name));
    }

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropTable("endpoints");
}
