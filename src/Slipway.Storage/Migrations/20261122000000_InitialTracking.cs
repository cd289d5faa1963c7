using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Migrations.Operations.Builders;

namespace Slipway.Storage.Migrations;

/// <summary>
/// Experiments, runs, params, tags, metrics, latest metrics, datasets and run inputs. Written by hand with CLR
/// column types only, so the same migration produces TEXT/INTEGER/REAL on SQLite and text/bigint/double
/// precision/boolean on PostgreSQL. Each provider reads only its own identity annotation.
/// </summary>
[DbContext(typeof(SlipwayDbContext))]
[Migration("20261122000000_InitialTracking")]
public sealed class InitialTracking : Migration
{
    // Names sort by byte value in MLflow ("Conf-…" < "Default" < "conf-…"): SQLite's BINARY collation does that,
    // PostgreSQL needs the "C" collation on text columns.
    private string? _textCollation;
    private bool _sqlite;

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        _sqlite = migrationBuilder.ActiveProvider == "Microsoft.EntityFrameworkCore.Sqlite";
        _textCollation = _sqlite ? null : "C";
        migrationBuilder.CreateTable(
            name: "experiments",
            columns: table => new
            {
                experiment_id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                name = table.Column<string>(collation: _textCollation, nullable: false),
                artifact_location = table.Column<string>(collation: _textCollation, nullable: false),
                lifecycle_stage = table.Column<string>(collation: _textCollation, nullable: false),
                creation_time = table.Column<long>(nullable: false),
                last_update_time = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_experiments", x => x.experiment_id));
        migrationBuilder.CreateIndex("ix_experiments_name", "experiments", "name", unique: true);

        migrationBuilder.CreateTable(
            name: "experiment_tags",
            columns: table => new
            {
                experiment_id = table.Column<long>(nullable: false),
                key = table.Column<string>(collation: _textCollation, nullable: false),
                value = table.Column<string>(collation: _textCollation, nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_experiment_tags", x => new { x.experiment_id, x.key }));

        migrationBuilder.CreateTable(
            name: "runs",
            columns: table => new
            {
                run_uuid = table.Column<string>(collation: _textCollation, nullable: false),
                name = table.Column<string>(collation: _textCollation, nullable: false),
                experiment_id = table.Column<long>(nullable: false),
                user_id = table.Column<string>(collation: _textCollation, nullable: false),
                status = table.Column<string>(collation: _textCollation, nullable: false),
                start_time = table.Column<long>(nullable: false),
                end_time = table.Column<long>(nullable: true),
                artifact_uri = table.Column<string>(collation: _textCollation, nullable: false),
                lifecycle_stage = table.Column<string>(collation: _textCollation, nullable: false),
                deleted_time = table.Column<long>(nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_runs", x => x.run_uuid));
        migrationBuilder.CreateIndex("ix_runs_experiment_id_start_time", "runs", ["experiment_id", "start_time"]);

        CreateKeyValueTable(migrationBuilder, "params");
        CreateKeyValueTable(migrationBuilder, "tags");

        // History is keyed by every field, so a retried batch is absorbed; latest_metrics holds one row per key.
        // History is keyed by every field, so a retried batch is absorbed; latest_metrics holds one row per key.
        CreateMetricTable(migrationBuilder, "metrics", x => new { x.run_uuid, x.key, x.step, x.timestamp, x.value, x.is_nan });
        CreateMetricTable(migrationBuilder, "latest_metrics", x => new { x.run_uuid, x.key });
        migrationBuilder.CreateIndex("ix_latest_metrics_key_value", "latest_metrics", ["key", "value"]);

        migrationBuilder.CreateTable(
            name: "datasets",
            columns: table => new
            {
                dataset_uuid = table.Column<string>(collation: _textCollation, nullable: false),
                experiment_id = table.Column<long>(nullable: false),
                name = table.Column<string>(collation: _textCollation, nullable: false),
                digest = table.Column<string>(collation: _textCollation, nullable: false),
                dataset_source_type = table.Column<string>(collation: _textCollation, nullable: false),
                dataset_source = table.Column<string>(collation: _textCollation, nullable: false),
                dataset_schema = table.Column<string>(collation: _textCollation, nullable: true),
                dataset_profile = table.Column<string>(collation: _textCollation, nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_datasets", x => x.dataset_uuid));
        migrationBuilder.CreateIndex("ix_datasets_experiment_id_name_digest", "datasets", ["experiment_id", "name", "digest"], unique: true);

        migrationBuilder.CreateTable(
            name: "run_inputs",
            columns: table => new
            {
                run_uuid = table.Column<string>(collation: _textCollation, nullable: false),
                dataset_uuid = table.Column<string>(collation: _textCollation, nullable: false),
                position = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_run_inputs", x => new { x.run_uuid, x.dataset_uuid }));

        migrationBuilder.CreateTable(
            name: "run_input_tags",
            columns: table => new
            {
                run_uuid = table.Column<string>(collation: _textCollation, nullable: false),
                dataset_uuid = table.Column<string>(collation: _textCollation, nullable: false),
                key = table.Column<string>(collation: _textCollation, nullable: false),
                value = table.Column<string>(collation: _textCollation, nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_run_input_tags", x => new { x.run_uuid, x.dataset_uuid, x.key }));

        // Experiment "0" (Default) exists from the start, as in MLflow.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        migrationBuilder.Sql(
            "INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time) "
            + $"VALUES (0, 'Default', 'mlflow-artifacts:/0', 'active', {now}, {now})");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var table in new[] { "run_input_tags", "run_inputs", "datasets", "latest_metrics", "metrics", "tags", "params", "runs", "experiment_tags", "experiments" })
            migrationBuilder.DropTable(table);
    }

    private void CreateKeyValueTable(MigrationBuilder migrationBuilder, string name)
    {
        if (_sqlite)
        {
            CreateWithoutRowId(migrationBuilder, name, "run_uuid TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL", "run_uuid, key");
            return;
        }
        migrationBuilder.CreateTable(
            name: name,
            columns: table => new
            {
                run_uuid = table.Column<string>(collation: _textCollation, nullable: false),
                key = table.Column<string>(collation: _textCollation, nullable: false),
                value = table.Column<string>(collation: _textCollation, nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_" + name, x => new { x.run_uuid, x.key }));
    }

    /// <summary>
    /// SQLite: tables that are only ever reached through their primary key are WITHOUT ROWID, so a row lives once,
    /// in the key's b-tree: one search per lookup instead of two, and one insert instead of two (measured on the
    /// search benchmark: 32 ms → 23 ms for a metric filter and sort over 10,000 runs).
    /// </summary>
    private static void CreateWithoutRowId(MigrationBuilder migrationBuilder, string name, string columns, string primaryKey) =>
        migrationBuilder.Sql($"CREATE TABLE {name} ({columns}, CONSTRAINT pk_{name} PRIMARY KEY ({primaryKey})) WITHOUT ROWID");

    private void CreateMetricTable(MigrationBuilder migrationBuilder, string name, System.Linq.Expressions.Expression<Func<MetricColumns, object>> primaryKey)
    {
        if (_sqlite)
        {
            var key = string.Join(", ", ((System.Linq.Expressions.NewExpression)primaryKey.Body).Members!.Select(m => m.Name));
            CreateWithoutRowId(migrationBuilder, name,
                "run_uuid TEXT NOT NULL, key TEXT NOT NULL, step INTEGER NOT NULL, timestamp INTEGER NOT NULL, value REAL NOT NULL, is_nan INTEGER NOT NULL", key);
            return;
        }
        migrationBuilder.CreateTable(
            name: name,
            columns: table => new MetricColumns(
                table.Column<string>(collation: _textCollation, nullable: false),
                table.Column<string>(collation: _textCollation, nullable: false),
                table.Column<long>(nullable: false),
                table.Column<long>(nullable: false),
                table.Column<double>(nullable: false),
                table.Column<bool>(nullable: false)),
            constraints: table => table.PrimaryKey("pk_" + name, primaryKey));
    }

    /// <summary>The metric columns; EF takes column names from these property names (a record would add EqualityContract).</summary>
    private sealed class MetricColumns(
        OperationBuilder<AddColumnOperation> run_uuid,
        OperationBuilder<AddColumnOperation> key,
        OperationBuilder<AddColumnOperation> step,
        OperationBuilder<AddColumnOperation> timestamp,
        OperationBuilder<AddColumnOperation> value,
        OperationBuilder<AddColumnOperation> is_nan)
    {
        public OperationBuilder<AddColumnOperation> run_uuid { get; } = run_uuid;
        public OperationBuilder<AddColumnOperation> key { get; } = key;
        public OperationBuilder<AddColumnOperation> step { get; } = step;
        public OperationBuilder<AddColumnOperation> timestamp { get; } = timestamp;
        public OperationBuilder<AddColumnOperation> value { get; } = value;
        public OperationBuilder<AddColumnOperation> is_nan { get; } = is_nan;
    }
}
