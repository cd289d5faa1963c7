// Drives a tracking server with the unmodified `mlflow` npm client (Yuhsak/mlflow 2.0.7).
//
//   MLFLOW_TRACKING_URI=http://127.0.0.1:5000 node mlflow-client.test.mjs
//
// Prints each step, exits non-zero on the first failed assertion, and ends with one JSON line
// {"slipway_npm_client_result": {...}} so a caller can check the created objects over HTTP.
// The package logs every POST body with console.log; those lines are noise, not results.
import assert from 'node:assert/strict';
import MLflow from 'mlflow';
import enums from 'mlflow/enum.js';

const { ViewType, RunStatus, LifecycleStage } = enums;

const trackingUri = process.env.MLFLOW_TRACKING_URI;
if (!trackingUri) {
  console.error('MLFLOW_TRACKING_URI is not set');
  process.exit(2);
}

// A hung server must not hang the caller: fail after a minute.
const watchdog = setTimeout(() => {
  console.error('FAIL: timed out after 60 s');
  process.exit(3);
}, 60_000);
watchdog.unref();

const client = new MLflow({ endpoint: trackingUri.replace(/\/+$/, '') });
const { Experiments, Runs, Metrics, Artifacts } = client;

let stepNumber = 0;
async function step(name, body) {
  stepNumber += 1;
  const label = `step ${String(stepNumber).padStart(2, '0')}: ${name}`;
  try {
    const result = await body();
    console.log(`ok   ${label}`);
    return result;
  } catch (error) {
    console.error(`FAIL ${label}`);
    throw error;
  }
}

const byKey = (items = []) => Object.fromEntries(items.map((item) => [item.key, item]));

async function main() {
  const experimentName = `npm-client-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const startTime = Date.now();

  const experimentId = await step('Experiments.create', async () => {
    const response = await Experiments.create({ name: experimentName });
    assert.equal(typeof response.experiment_id, 'string');
    assert.notEqual(response.experiment_id, '');
    return response.experiment_id;
  });

  await step('Experiments.get', async () => {
    const { experiment } = await Experiments.get({ experiment_id: experimentId });
    assert.equal(experiment.experiment_id, experimentId);
    assert.equal(experiment.name, experimentName);
    assert.equal(experiment.lifecycle_stage, LifecycleStage.active);
    assert.equal(typeof experiment.artifact_location, 'string');
  });

  await step('Experiments.list (removed from MLflow 2.0, kept for this client)', async () => {
    const { experiments } = await Experiments.list({ view_type: ViewType.ACTIVE_ONLY });
    assert.ok(Array.isArray(experiments), 'experiments is a list');
    assert.ok(experiments.some((e) => e.experiment_id === experimentId), 'the new experiment is listed');
  });

  // Experiments.setExperimentTag is skipped on purpose: 2.0.7 posts to the broken path
  // /api/2.0/mlflow/experimentsset-experiment-tag (no slash), which no server maps.

  const runId = await step('Runs.create', async () => {
    const { run } = await Runs.create({
      experiment_id: experimentId,
      user_id: 'npm-user',
      start_time: startTime,
      tags: [{ key: 'origin', value: 'npm' }],
    });
    assert.equal(run.info.experiment_id, experimentId);
    assert.equal(run.info.status, RunStatus.RUNNING);
    assert.equal(run.info.user_id, 'npm-user');
    assert.equal(run.info.start_time, startTime);
    assert.match(run.info.run_id, /^[0-9a-f]{32}$/);
    assert.equal(byKey(run.data.tags).origin?.value, 'npm');
    return run.info.run_id;
  });

  await step('Runs.logMetric', async () => {
    assert.deepEqual(await Runs.logMetric({ run_id: runId, key: 'loss', value: 0.9, timestamp: startTime, step: 0 }), {});
    assert.deepEqual(await Runs.logMetric({ run_id: runId, key: 'loss', value: 0.5, timestamp: startTime + 1, step: 1 }), {});
  });

  await step('Runs.logParameter', async () => {
    assert.deepEqual(await Runs.logParameter({ run_id: runId, key: 'lr', value: '0.01' }), {});
  });

  await step('Runs.setTag', async () => {
    assert.deepEqual(await Runs.setTag({ run_id: runId, key: 'stage', value: 'train' }), {});
    assert.deepEqual(await Runs.setTag({ run_id: runId, key: 'scratch', value: 'to-delete' }), {});
  });

  await step('Runs.deleteTag', async () => {
    assert.deepEqual(await Runs.deleteTag({ run_id: runId, key: 'scratch' }), {});
  });

  await step('Runs.logBatch', async () => {
    const response = await Runs.logBatch({
      run_id: runId,
      metrics: [
        { key: 'loss', value: 0.25, timestamp: startTime + 2, step: 2 },
        { key: 'accuracy', value: 0.75, timestamp: startTime + 2, step: 2 },
      ],
      params: [{ key: 'optimizer', value: 'adam' }],
      tags: [{ key: 'stage', value: 'eval' }],
    });
    assert.deepEqual(response, {});
  });

  await step('Runs.get', async () => {
    const { run } = await Runs.get({ run_id: runId });
    assert.equal(run.info.run_id, runId);
    const metrics = byKey(run.data.metrics);
    assert.equal(metrics.loss?.value, 0.25, 'latest loss is the value at the highest step');
    assert.equal(metrics.loss?.step, 2);
    assert.equal(metrics.accuracy?.value, 0.75);
    const params = byKey(run.data.params);
    assert.equal(params.lr?.value, '0.01');
    assert.equal(params.optimizer?.value, 'adam');
    const tags = byKey(run.data.tags);
    assert.equal(tags.stage?.value, 'eval', 'log-batch overwrote the tag');
    assert.equal(tags.origin?.value, 'npm');
    assert.equal(tags.scratch, undefined, 'deleted tag is gone');
  });

  await step('Runs.search', async () => {
    const { runs } = await Runs.search({
      experiment_ids: [experimentId],
      filter: "params.optimizer = 'adam' and metrics.loss < 0.5",
      run_view_type: ViewType.ACTIVE_ONLY,
      max_results: 10,
      order_by: ['metrics.loss ASC'],
    });
    assert.ok(Array.isArray(runs), 'runs is a list');
    assert.deepEqual(runs.map((r) => r.info.run_id), [runId]);

    const none = await Runs.search({ experiment_ids: [experimentId], filter: "params.optimizer = 'sgd'" });
    assert.equal((none.runs ?? []).length, 0, 'a non-matching filter finds nothing');
  });

  await step('Metrics.getHistory', async () => {
    const { metrics } = await Metrics.getHistory({ run_id: runId, metric_key: 'loss' });
    const history = [...metrics].sort((a, b) => a.step - b.step);
    assert.deepEqual(history.map((m) => [m.step, m.value, m.timestamp]), [
      [0, 0.9, startTime],
      [1, 0.5, startTime + 1],
      [2, 0.25, startTime + 2],
    ]);
    assert.ok(history.every((m) => m.key === 'loss'));
  });

  const endTime = Date.now() + 10;
  await step('Runs.update to FINISHED', async () => {
    const { run_info: runInfo } = await Runs.update({ run_id: runId, status: RunStatus.FINISHED, end_time: endTime });
    assert.equal(runInfo.run_id, runId);
    assert.equal(runInfo.status, RunStatus.FINISHED);
    assert.equal(runInfo.end_time, endTime);
    const { run } = await Runs.get({ run_id: runId });
    assert.equal(run.info.status, RunStatus.FINISHED);
  });

  await step('Artifacts.list', async () => {
    const listing = await Artifacts.list({ run_id: runId });
    assert.equal(typeof listing.root_uri, 'string');
    assert.ok(listing.root_uri.includes(runId), 'root_uri names the run');
    assert.equal((listing.files ?? []).length, 0, 'a fresh run has no artifacts');
  });

  await step('Runs.delete', async () => {
    assert.deepEqual(await Runs.delete({ run_id: runId }), {});
    const { run } = await Runs.get({ run_id: runId });
    assert.equal(run.info.lifecycle_stage, LifecycleStage.deleted);
    const active = await Runs.search({ experiment_ids: [experimentId], run_view_type: ViewType.ACTIVE_ONLY });
    assert.equal((active.runs ?? []).length, 0, 'a deleted run is not an active run');
  });

  await step('Runs.restore', async () => {
    assert.deepEqual(await Runs.restore({ run_id: runId }), {});
    const { run } = await Runs.get({ run_id: runId });
    assert.equal(run.info.lifecycle_stage, LifecycleStage.active);
  });

  await step('errors surface as rejections', async () => {
    await assert.rejects(Runs.get({ run_id: '0'.repeat(32) }), (error) => {
      assert.match(String(error.message), /RESOURCE_DOES_NOT_EXIST/);
      return true;
    });
  });

  console.log(JSON.stringify({
    slipway_npm_client_result: {
      experiment_id: experimentId,
      run_id: runId,
      metrics: { loss: [0.9, 0.5, 0.25], accuracy: [0.75] },
      params: { lr: '0.01', optimizer: 'adam' },
    },
  }));
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error?.stack ?? String(error));
    process.exit(1);
  },
);
