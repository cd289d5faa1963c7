using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Slipway.Storage.Migrations;

/// <summary>
/// Monitors (spec as JSON, next scheduled run), their run history and alert episodes. Hand-written and
/// provider-neutral like <see cref="Registry"/>: CLR column types and "C" collation on PostgreSQL text columns.
/// </summary>
[DbContext(typeof(SlipwayDbContext))]
[Migration("20261125000000_Monitoring")]
public sealed class Monitoring : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var collation = migrationBuilder.ActiveProvider == "Microsoft.EntityFrameworkCore.Sqlite" ? null : "C";
        migrationBuilder.CreateTable(
            name: "monitors",
            columns: table => new
            {
                name = table.Column<string>(collation: collation, nullable: false),
                endpoint = table.Column<string>(collation: collation, nullable: false),
                spec = table.Column<string>(collation: collation, nullable: false),
                next_run_time = table.Column<long>(nullable: true),
                creation_time = table.Column<long>(nullable: false),
                last_updated_time = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_monitors", x => x.name));

        migrationBuilder.CreateTable(
            name: "monitor_runs",
            columns: table => new
            {
                id = table.Column<string>(collation: collation, nullable: false),
                monitor = table.Column<string>(collation: collation, nullable: false),
                trigger = table.Column<string>(collation: collation, nullable: false),
                status = table.Column<string>(collation: collation, nullable: false),
                start_time = table.Column<long>(nullable: false),
                end_time = table.Column<long>(nullable: true),
                window_start = table.Column<long>(nullable: false),
                window_end = table.Column<long>(nullable: false),
                rows_seen = table.Column<long>(nullable: false),
                model_version = table.Column<string>(collation: collation, nullable: true),
                drift_share = table.Column<double>(nullable: true),
                dataset_drift = table.Column<bool>(nullable: true),
                drifted_columns = table.Column<int>(nullable: true),
                checked_columns = table.Column<int>(nullable: true),
                quality_failures = table.Column<int>(nullable: true),
                error = table.Column<string>(collation: collation, nullable: true),
                report_html = table.Column<string>(collation: collation, nullable: true),
                report_json = table.Column<string>(collation: collation, nullable: true),
                result = table.Column<string>(collation: collation, nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_monitor_runs", x => x.id));
        migrationBuilder.CreateIndex("ix_monitor_runs_monitor_start_time", "monitor_runs", ["monitor", "start_time"]);

        migrationBuilder.CreateTable(
            name: "monitor_alerts",
            columns: table => new
            {
                id = table.Column<string>(collation: collation, nullable: false),
                monitor = table.Column<string>(collation: collation, nullable: false),
                rule = table.Column<string>(collation: collation, nullable: false),
                fingerprint = table.Column<string>(collation: collation, nullable: false),
                labels = table.Column<string>(collation: collation, nullable: false),
                annotations = table.Column<string>(collation: collation, nullable: false),
                status = table.Column<string>(collation: collation, nullable: false),
                starts_at = table.Column<long>(nullable: false),
                ends_at = table.Column<long>(nullable: true),
                last_sent_at = table.Column<long>(nullable: true),
                updated_at = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_monitor_alerts", x => x.id));
        migrationBuilder.CreateIndex("ix_monitor_alerts_monitor_updated_at", "monitor_alerts", ["monitor", "updated_at"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("monitor_alerts");
        migrationBuilder.DropTable("monitor_runs");
        migrationBuilder.DropTable("monitors");
    }
}
