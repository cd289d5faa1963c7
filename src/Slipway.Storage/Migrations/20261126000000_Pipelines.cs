using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Slipway.Storage.Migrations;

/// <summary>
/// Stored pipelines (YAML, schedule slot), their runs (status, claim, per-step JSON) and the server's step cache.
/// Hand-written and provider-neutral like <see cref="Monitoring"/>: CLR column types and "C" collation on PostgreSQL text.
/// </summary>
[DbContext(typeof(SlipwayDbContext))]
[Migration("20261126000000_Pipelines")]
public sealed class Pipelines : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var collation = migrationBuilder.ActiveProvider == "Microsoft.EntityFrameworkCore.Sqlite" ? null : "C";
        migrationBuilder.CreateTable(
            name: "pipelines",
            columns: table => new
            {
                name = table.Column<string>(collation: collation, nullable: false),
                yaml = table.Column<string>(collation: collation, nullable: false),
                definition_hash = table.Column<string>(collation: collation, nullable: false),
                enabled = table.Column<bool>(nullable: false),
                concurrency = table.Column<int>(nullable: false),
                creation_time = table.Column<long>(nullable: false),
                last_updated_time = table.Column<long>(nullable: false),
                next_schedule_time = table.Column<long>(nullable: true),
                last_schedule_slot = table.Column<long>(nullable: true),
                working_directory = table.Column<string>(collation: collation, nullable: true),
                claim_sequence = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_pipelines", x => x.name));

        migrationBuilder.CreateTable(
            name: "pipeline_runs",
            columns: table => new
            {
                id = table.Column<string>(collation: collation, nullable: false),
                pipeline = table.Column<string>(collation: collation, nullable: false),
                status = table.Column<string>(collation: collation, nullable: false),
                trigger_kind = table.Column<string>(collation: collation, nullable: false),
                trigger_detail = table.Column<string>(collation: collation, nullable: false),
                @params = table.Column<string>(name: "params", collation: collation, nullable: false),
                steps = table.Column<string>(collation: collation, nullable: false),
                experiment_id = table.Column<string>(collation: collation, nullable: true),
                working_directory = table.Column<string>(collation: collation, nullable: true),
                creation_time = table.Column<long>(nullable: false),
                start_time = table.Column<long>(nullable: true),
                end_time = table.Column<long>(nullable: true),
                replica = table.Column<string>(collation: collation, nullable: true),
                cancel_requested = table.Column<bool>(nullable: false),
                error = table.Column<string>(collation: collation, nullable: true),
                heartbeat_time = table.Column<long>(nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_pipeline_runs", x => x.id));
        migrationBuilder.CreateIndex("ix_pipeline_runs_pipeline_creation_time", "pipeline_runs", ["pipeline", "creation_time"]);
        migrationBuilder.CreateIndex("ix_pipeline_runs_status_creation_time", "pipeline_runs", ["status", "creation_time"]);

        migrationBuilder.CreateTable(
            name: "pipeline_step_cache",
            columns: table => new
            {
                pipeline = table.Column<string>(collation: collation, nullable: false),
                cache_key = table.Column<string>(collation: collation, nullable: false),
                outputs = table.Column<string>(collation: collation, nullable: false),
                source_run = table.Column<string>(collation: collation, nullable: false),
                creation_time = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_pipeline_step_cache", x => new { x.pipeline, x.cache_key }));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("pipeline_step_cache");
        migrationBuilder.DropTable("pipeline_runs");
        migrationBuilder.DropTable("pipelines");
    }
}
