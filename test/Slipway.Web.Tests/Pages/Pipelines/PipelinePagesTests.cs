using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Slipway.Core.Audit;
using Slipway.Core.Pipelines;
using Slipway.Web.Tests.Browser;

namespace Slipway.Web.Tests.Pages.Pipelines;

/// <summary>The pipelines list, a pipeline's page and a run's page over runs the server really executed.</summary>
[Collection(UiCollection.Name)]
public sealed class PipelinePagesTests(UiFixture ui)
{
    [Fact]
    public async Task PipelinesList_WithAScheduledPipeline_ShowsItsTriggersAndLastRun()
    {
        var name = UiFixture.Unique("ui-pipeline");
        await ui.Client.ApplyPipelineAsync(PipelineUiSeed.Diamond(name));
        var run = await PipelineUiSeed.RunToEndAsync(ui.Client, name);

        var schedule = Cronos.CronExpression.Parse("0 3 1 1 *");
        var nextBefore = schedule.GetNextOccurrence(DateTime.UtcNow)!.Value;
        await using var page = await ui.OpenAsync("/pipelines");
        var row = page.Page.Locator($"[data-test=pipeline-row][data-pipeline='{name}']");
        await row.WaitForAsync();

        Assert.Equal($"pipelines/{name}", await row.Locator($"a:text-is('{name}')").GetAttributeAsync("href"));
        Assert.Contains("0 3 1 1 *", await row.Locator("[data-test=trigger-schedule]").InnerTextAsync());
        // The next slot of a yearly 1 January schedule, as Cronos computes it from a moment just before or after the
        // page did (the two differ only if 1 January 03:00 UTC passed while the test ran).
        var shown = await row.Locator("[data-test=next-fire]").InnerTextAsync();
        var nextAfter = schedule.GetNextOccurrence(DateTime.UtcNow)!.Value;
        Assert.True(shown.Contains(Utc(nextBefore), StringComparison.Ordinal) || shown.Contains(Utc(nextAfter), StringComparison.Ordinal),
            $"next fire shown as '{shown}', expected {Utc(nextBefore)}");
        Assert.Contains($"{name}-model", await row.Locator("[data-test=trigger-model]").InnerTextAsync());
        Assert.Equal("failed", await row.Locator("[data-test=last-run] .badge").GetAttributeAsync("data-status"));
        Assert.Equal($"pipelines/runs/{run.Id}", await row.Locator("[data-test=last-run] a").GetAttributeAsync("href"));
        await page.ScreenshotAsync("pipelines-list");
        page.AssertNoErrors();
    }

    [Fact]
    public async Task PipelinePage_WithTwoRuns_ShowsDefinitionParamsAndRunsNewestFirst()
    {
        var name = UiFixture.Unique("ui-pipeline");
        await ui.Client.ApplyPipelineAsync(PipelineUiSeed.Diamond(name));
        var first = await PipelineUiSeed.RunToEndAsync(ui.Client, name);
        var second = await PipelineUiSeed.RunToEndAsync(ui.Client, name);

        await using var page = await ui.OpenAsync($"/pipelines/{name}");
        var rows = page.Page.Locator("[data-test=pipeline-run-row]");
        await rows.Nth(1).WaitForAsync();

        Assert.Equal(2, await rows.CountAsync());
        Assert.Equal(second.Id, await rows.Nth(0).GetAttributeAsync("data-run"));
        Assert.Equal(first.Id, await rows.Nth(1).GetAttributeAsync("data-run"));
        Assert.Equal("failed", await rows.Nth(0).Locator(".badge").GetAttributeAsync("data-status"));
        Assert.Equal("manual", await rows.Nth(0).Locator("[data-trigger]").GetAttributeAsync("data-trigger"));
        Assert.Equal($"pipelines/runs/{second.Id}", await rows.Nth(0).Locator("a").First.GetAttributeAsync("href"));
        Assert.Contains("hello-from-ui", await page.Page.Locator("[data-test=pipeline-params]").InnerTextAsync());
        Assert.Contains("echo training-marker-42", await page.Page.Locator("[data-test=pipeline-yaml]").InnerTextAsync());
        Assert.Equal("2", await page.Page.Locator("[data-test=concurrency]").InnerTextAsync());
        await page.ScreenshotAsync("pipeline-detail");
        page.AssertNoErrors();
    }

    [Fact]
    public async Task PipelinePage_MoreRunsThanAPage_PagesOnTheServer()
    {
        var name = UiFixture.Unique("ui-many-runs");
        await ui.Client.ApplyPipelineAsync($$"""
            name: {{name}}
            concurrency: 8
            steps:
              - {id: only, uses: command, run: ["/bin/echo", "quick"]}
            """);
        var started = new List<string>();
        for (var i = 0; i < 27; i++)
            started.Add((await ui.Client.StartPipelineRunAsync(name)).Id);
        foreach (var id in started)
            await PipelineUiSeed.WaitAsync(ui.Client, id, r => r.IsFinished);

        await using var page = await ui.OpenAsync($"/pipelines/{name}");
        var rows = page.Page.Locator("[data-test=pipeline-run-row]");
        await rows.First.WaitForAsync();
        Assert.Equal(25, await rows.CountAsync());
        var firstPage = await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.run)");

        await page.Page.Locator("[data-test=pager-next]").ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        var secondPage = await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.run)");
        Assert.Equal(started.Order(), firstPage.Concat(secondPage).Order());
        Assert.True(await page.Page.Locator("[data-test=pager-next]").IsDisabledAsync());
        page.AssertNoErrors();
    }

    [Fact]
    public async Task PipelinePage_UnknownPipeline_ShowsNotFound()
    {
        await using var page = await ui.OpenAsync($"/pipelines/{UiFixture.Unique("missing")}");
        var error = page.Page.Locator(".error-box");
        await error.WaitForAsync();

        Assert.Contains("does not exist", await error.InnerTextAsync());
        page.AssertNoErrors();
    }

    [Fact]
    public async Task RunPage_FinishedDiamond_DrawsOneNodePerStepColouredByStatusAndShowsLogs()
    {
        var name = UiFixture.Unique("ui-pipeline");
        await ui.Client.ApplyPipelineAsync(PipelineUiSeed.Diamond(name));
        var run = await PipelineUiSeed.RunToEndAsync(ui.Client, name);

        await using var page = await ui.OpenAsync($"/pipelines/runs/{run.Id}");
        var dag = page.Page.Locator("[data-test=pipeline-dag]");
        await dag.WaitForAsync();

        Assert.Equal(4, await dag.Locator("g.node").CountAsync());
        Assert.Equal(4, await dag.Locator("path.edge").CountAsync());
        var expected = new Dictionary<string, string>
        {
            ["prepare"] = "succeeded", ["train"] = "succeeded", ["evaluate"] = "failed", ["report"] = "skipped",
        };
        foreach (var (step, status) in expected)
        {
            var node = page.Page.Locator($"[data-test=dag-node-{step}]");
            Assert.Equal(status, await node.GetAttributeAsync("data-status"));
            Assert.Contains($"status-{status}", await node.GetAttributeAsync("class"));
        }
        // The status classes really colour the boxes (pipelines.css is served and applies).
        var fills = new HashSet<string>();
        foreach (var step in new[] { "prepare", "evaluate", "report" })
            fills.Add(await page.Page.Locator($"[data-test=dag-node-{step}] rect").First.EvaluateAsync<string>("r => getComputedStyle(r).fill"));
        Assert.Equal(3, fills.Count);
        // The layout puts each step one layer right of what it needs: prepare < train = evaluate < report (the selected
        // node's thicker border moves its box by a pixel).
        var x = new Dictionary<string, double>();
        foreach (var step in expected.Keys)
            x[step] = (await page.Page.Locator($"[data-test=dag-node-{step}] rect").First.BoundingBoxAsync())!.X;
        Assert.True(x["prepare"] < x["train"] && Math.Abs(x["train"] - x["evaluate"]) < 3 && x["evaluate"] < x["report"], string.Join(", ", x));

        // The failed step is selected first; its log shows what it printed before failing.
        var log = page.Page.Locator("[data-test=step-log]");
        await Assertions.Expect(log).ToContainTextAsync("evaluating-before-failure");
        await page.Page.Locator("[data-test=dag-node-train]").ClickAsync();
        await Assertions.Expect(page.Page.Locator("[data-test=step-log-name]")).ToHaveTextAsync("train");
        await Assertions.Expect(log).ToContainTextAsync("training-marker-42");
        await page.Page.Locator("[data-test=dag-node-prepare]").ClickAsync();
        await Assertions.Expect(log).ToContainTextAsync("preparing hello-from-ui");

        var trainRow = page.Page.Locator("[data-test=step-row][data-step=train]");
        Assert.Contains("m-42", await trainRow.InnerTextAsync());
        Assert.Equal($"runs/{run.Steps.Single(s => s.StepId == "train").RunId}", await trainRow.Locator("a").GetAttributeAsync("href"));
        Assert.Contains("exited with code 3", await page.Page.Locator("[data-test=step-row][data-step=evaluate] [data-test=step-error]").InnerTextAsync());
        Assert.Equal($"runs/{run.Id}", await page.Page.Locator("[data-test=parent-run-link]").GetAttributeAsync("href"));
        Assert.Equal(0, await page.Page.Locator("[data-test=cancel-run]").CountAsync());
        await page.ScreenshotAsync("pipeline-run");
        page.AssertNoErrors();
    }

    [Fact]
    public async Task RunPage_ActiveRun_StreamsTheLiveLogAndCancelsAsTheUser()
    {
        var name = UiFixture.Unique("ui-slow");
        await ui.Client.ApplyPipelineAsync(PipelineUiSeed.Slow(name));
        var queued = await ui.Client.StartPipelineRunAsync(name);
        await PipelineUiSeed.WaitAsync(ui.Client, queued.Id, r => r.Steps.Any(s => s.StepId == "warm-up" && s.Status == "succeeded"));

        await using var page = await ui.OpenAsync($"/pipelines/runs/{queued.Id}", UiFixture.Requester);
        // The sleeping step's log is read live from its process, and the page keeps re-reading it.
        var longStep = page.Page.Locator("[data-test=dag-node-long-step]");
        await longStep.ClickAsync();
        await Assertions.Expect(page.Page.Locator("[data-test=step-log]")).ToContainTextAsync("long-step-started", new() { Timeout = 30_000 });
        await Assertions.Expect(longStep).ToHaveAttributeAsync("data-status", "running", new() { Timeout = 30_000 });
        await page.ScreenshotAsync("pipeline-run-active");

        await page.Page.Locator("[data-test=cancel-run]").ClickAsync();
        // The polling picks up the end of the run without a reload.
        await Assertions.Expect(page.Page.Locator("h1 .badge")).ToHaveAttributeAsync("data-status", "cancelled", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Page.Locator("[data-test=cancel-run]")).ToHaveCountAsync(0, new() { Timeout = 30_000 });

        var audit = ui.Server.Services.GetRequiredService<IAuditStore>();
        var (events, _) = await audit.SearchAsync(
            new AuditQuery(PipelineActions.RunResource(name, queued.Id), PipelineActions.RunCancelled, null, 10, 0), CancellationToken.None);
        Assert.Equal(UiFixture.Requester, Assert.Single(events).Actor);
        page.AssertNoErrors();
    }

    private static string Utc(DateTime time) => time.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}
