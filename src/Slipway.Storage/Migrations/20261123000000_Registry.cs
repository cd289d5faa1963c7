using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Migrations.Operations.Builders;

namespace Slipway.Storage.Migrations;

/// <summary>
/// The model registry (models, versions, tags, aliases), its governance records (cards, approval requests and
/// decisions), webhooks with their delivery outbox, and the audit trail. Hand-written and provider-neutral like
/// <see cref="InitialTracking"/>: CLR column types, "C" collation on PostgreSQL text columns, and both identity
/// annotations on generated ids.
/// </summary>
[DbContext(typeof(SlipwayDbContext))]
[Migration("20261123000000_Registry")]
public sealed class Registry : Migration
{
    private string? _textCollation;

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        _textCollation = migrationBuilder.ActiveProvider == "Microsoft.EntityFrameworkCore.Sqlite" ? null : "C";

        migrationBuilder.CreateTable(
            name: "registered_models",
            columns: table => new
            {
                id = Identity(table),
                name = Text(table),
                creation_time = table.Column<long>(nullable: false),
                last_updated_time = table.Column<long>(nullable: false),
                description = Text(table, nullable: true),
                last_version = table.Column<long>(nullable: false),
                policy = Text(table, nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_registered_models", x => x.id));
        migrationBuilder.CreateIndex("ix_registered_models_name", "registered_models", "name", unique: true);

        migrationBuilder.CreateTable(
            name: "registered_model_tags",
            columns: table => new { model_id = table.Column<long>(nullable: false), key = Text(table), value = Text(table) },
            constraints: table => table.PrimaryKey("pk_registered_model_tags", x => new { x.model_id, x.key }));

        migrationBuilder.CreateTable(
            name: "registered_model_aliases",
            columns: table => new { model_id = table.Column<long>(nullable: false), alias = Text(table), version = table.Column<long>(nullable: false) },
            constraints: table => table.PrimaryKey("pk_registered_model_aliases", x => new { x.model_id, x.alias }));

        migrationBuilder.CreateTable(
            name: "model_versions",
            columns: table => new
            {
                model_id = table.Column<long>(nullable: false),
                version = table.Column<long>(nullable: false),
                creation_time = table.Column<long>(nullable: false),
                last_updated_time = table.Column<long>(nullable: false),
                description = Text(table),
                user_id = Text(table, nullable: true),
                current_stage = Text(table),
                source = Text(table),
                run_id = Text(table, nullable: true),
                run_link = Text(table),
                status = Text(table),
            },
            constraints: table => table.PrimaryKey("pk_model_versions", x => new { x.model_id, x.version }));
        migrationBuilder.CreateIndex("ix_model_versions_run_id", "model_versions", "run_id");
        // Version search sorts by last update by default.
        migrationBuilder.CreateIndex("ix_model_versions_last_updated_time", "model_versions", "last_updated_time");
        // latest_versions (highest version per stage) is answered from this index alone, without reading the versions.
        migrationBuilder.CreateIndex("ix_model_versions_model_id_current_stage_version", "model_versions", ["model_id", "current_stage", "version"]);

        migrationBuilder.CreateTable(
            name: "model_version_tags",
            columns: table => new
            {
                model_id = table.Column<long>(nullable: false),
                version = table.Column<long>(nullable: false),
                key = Text(table),
                value = Text(table),
            },
            constraints: table => table.PrimaryKey("pk_model_version_tags", x => new { x.model_id, x.version, x.key }));

        migrationBuilder.CreateTable(
            name: "model_cards",
            columns: table => new
            {
                model_id = table.Column<long>(nullable: false),
                version = table.Column<long>(nullable: false),
                intended_use = Text(table, nullable: true),
                training_data = Text(table, nullable: true),
                evaluation_metrics = Text(table),
                limitations = Text(table, nullable: true),
                owners = Text(table),
                updated_time = table.Column<long>(nullable: false),
                updated_by = Text(table),
            },
            constraints: table => table.PrimaryKey("pk_model_cards", x => new { x.model_id, x.version }));

        CreateApprovalTables(migrationBuilder);
        CreateWebhookTables(migrationBuilder);

        migrationBuilder.CreateTable(
            name: "audit_events",
            columns: table => new
            {
                id = Identity(table),
                timestamp = table.Column<long>(nullable: false),
                actor = Text(table),
                action = Text(table),
                resource = Text(table),
                before = Text(table, nullable: true),
                after = Text(table, nullable: true),
                request_id = Text(table, nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_audit_events", x => x.id));
        // A resource's history (and everything below it, by prefix range) in append order.
        migrationBuilder.CreateIndex("ix_audit_events_resource_id", "audit_events", ["resource", "id"]);
        migrationBuilder.CreateIndex("ix_audit_events_timestamp", "audit_events", "timestamp");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var table in new[]
        {
            "audit_events", "webhook_deliveries", "webhooks", "approval_decisions", "approval_requests", "model_cards",
            "model_version_tags", "model_versions", "registered_model_aliases", "registered_model_tags", "registered_models",
        })
            migrationBuilder.DropTable(table);
    }

    private void CreateApprovalTables(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "approval_requests",
            columns: table => new
            {
                id = Identity(table),
                model_id = table.Column<long>(nullable: false),
                version = table.Column<long>(nullable: false),
                target_kind = Text(table),
                target = Text(table),
                status = Text(table),
                requester = Text(table),
                comment = Text(table, nullable: true),
                required_approvals = table.Column<int>(nullable: false),
                created_time = table.Column<long>(nullable: false),
                decided_time = table.Column<long>(nullable: true),
                gates = Text(table),
            },
            constraints: table => table.PrimaryKey("pk_approval_requests", x => x.id));
        migrationBuilder.CreateIndex("ix_approval_requests_model_id_id", "approval_requests", ["model_id", "id"]);

        migrationBuilder.CreateTable(
            name: "approval_decisions",
            columns: table => new
            {
                request_id = table.Column<long>(nullable: false),
                approver = Text(table),
                approve = table.Column<bool>(nullable: false),
                comment = Text(table, nullable: true),
                time = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_approval_decisions", x => new { x.request_id, x.approver }));
    }

    private void CreateWebhookTables(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "webhooks",
            columns: table => new
            {
                id = Identity(table),
                name = Text(table),
                url = Text(table),
                events = Text(table),
                model_name = Text(table, nullable: true),
                secret = Text(table),
                active = table.Column<bool>(nullable: false),
                created_time = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_webhooks", x => x.id));

        migrationBuilder.CreateTable(
            name: "webhook_deliveries",
            columns: table => new
            {
                id = Identity(table),
                webhook_id = table.Column<long>(nullable: false),
                @event = Text(table),
                payload = Text(table),
                status = Text(table),
                attempts = table.Column<int>(nullable: false),
                created_time = table.Column<long>(nullable: false),
                next_attempt_time = table.Column<long>(nullable: false),
                delivered_time = table.Column<long>(nullable: true),
                last_status_code = table.Column<int>(nullable: true),
                last_error = Text(table, nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_webhook_deliveries", x => x.id));
        // The dispatcher's due-work query, and each webhook's delivery log newest first.
        migrationBuilder.CreateIndex("ix_webhook_deliveries_status_next_attempt_time", "webhook_deliveries", ["status", "next_attempt_time"]);
        migrationBuilder.CreateIndex("ix_webhook_deliveries_webhook_id_id", "webhook_deliveries", ["webhook_id", "id"]);
    }

    private static OperationBuilder<AddColumnOperation> Identity(ColumnsBuilder table) =>
        table.Column<long>(nullable: false)
            .Annotation("Sqlite:Autoincrement", true)
            .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);

    private OperationBuilder<AddColumnOperation> Text(ColumnsBuilder table, bool nullable = false) =>
        table.Column<string>(collation: _textCollation, nullable: nullable);
}
