using Slipway.Replicas.Tests.Infrastructure;

namespace Slipway.Replicas.Tests;

/// <summary>
/// A first start on a PostgreSQL server where Slipway's database does not exist yet: the server creates it (as EF's
/// migration did before migrations ran under the advisory lock, whose connection has to be opened first).
/// </summary>
public sealed class MissingDatabaseTests
{
    [Fact]
    public async Task ServerStart_OnADatabaseThatDoesNotExist_CreatesItAndServes()
    {
        var folder = Path.Combine(Path.GetTempPath(), "slipway-missing-db-" + Guid.NewGuid().ToString("N"));
        await using var database = await PostgresDatabase.CreateAsync(create: false);
        try
        {
            await using (var replica = ReplicaProcess.Start("fresh", database.Uri, Path.Combine(folder, "artifacts"), Path.Combine(folder, "work"),
                             new Dictionary<string, string>()))
            {
                await replica.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
                var created = await replica.Http.PostOkAsync("api/2.0/mlflow/experiments/create", new { name = "on-a-new-database" });
                Assert.False(string.IsNullOrEmpty(created.GetProperty("experiment_id").GetString()));
            }
            Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM experiments WHERE name = 'on-a-new-database'"));
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }
}
