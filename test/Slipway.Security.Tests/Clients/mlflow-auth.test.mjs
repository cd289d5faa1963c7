// Drives a Slipway server with auth on through the unmodified `mlflow` npm client (test/clients/node).
//
//   SLIPWAY_NODE_CLIENTS=test/clients/node MLFLOW_TRACKING_URI=http://127.0.0.1:5000 \
//   MLFLOW_TRACKING_USERNAME=alice MLFLOW_TRACKING_PASSWORD=... node mlflow-auth.test.mjs
//
// The npm client knows nothing of MLflow's auth variables; it takes extra headers in its constructor. This script
// builds them the way MLflow's own client does: MLFLOW_TRACKING_TOKEN as "Authorization: Bearer" (it wins), else
// MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD as HTTP Basic.
//
// SLIPWAY_EXPECT=logged (default): create an experiment and a run, log to it, finish it.
// SLIPWAY_EXPECT=unauthenticated: the first call must fail with HTTP 401 and error_code UNAUTHENTICATED.
// Ends with one JSON line {"slipway_npm_auth_result": {...}}; exits non-zero on a failed assertion.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';

const clientsFolder = process.env.SLIPWAY_NODE_CLIENTS;
const trackingUri = process.env.MLFLOW_TRACKING_URI;
if (!clientsFolder || !trackingUri) {
  console.error('SLIPWAY_NODE_CLIENTS and MLFLOW_TRACKING_URI must be set');
  process.exit(2);
}

// The package is installed in test/clients/node, not beside this script: resolve it from there.
const require = createRequire(path.join(clientsFolder, 'package.json'));
const MLflow = require('mlflow');

const watchdog = setTimeout(() => {
  console.error('FAIL: timed out after 60 s');
  process.exit(3);
}, 60_000);
watchdog.unref();

function authorizationHeaders(env) {
  if (env.MLFLOW_TRACKING_TOKEN) {
    return { Authorization: `Bearer ${env.MLFLOW_TRACKING_TOKEN}` };
  }
  if (env.MLFLOW_TRACKING_USERNAME && env.MLFLOW_TRACKING_PASSWORD) {
    const pair = `${env.MLFLOW_TRACKING_USERNAME}:${env.MLFLOW_TRACKING_PASSWORD}`;
    return { Authorization: `Basic ${Buffer.from(pair, 'utf8').toString('base64')}` };
  }
  return {};
}

const client = new MLflow({ endpoint: trackingUri.replace(/\/+$/, ''), headers: authorizationHeaders(process.env) });
const { Experiments, Runs } = client;

// The package throws Error(JSON.stringify({status, statusText, data})) wrapped once more in Error(...).
function failureOf(error) {
  const text = String(error.message).replace(/^Error: /, '');
  return JSON.parse(text);
}

function report(result) {
  console.log(JSON.stringify({ slipway_npm_auth_result: result }));
}

async function logged() {
  const name = `npm-auth-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const { experiment_id: experimentId } = await Experiments.create({ name });
  assert.equal(typeof experimentId, 'string');
  const { run } = await Runs.create({ experiment_id: experimentId, start_time: Date.now() });
  const runId = run.info.run_id;
  await Runs.logParameter({ run_id: runId, key: 'alpha', value: '0.5' });
  await Runs.logMetric({ run_id: runId, key: 'loss', value: 0.25, timestamp: Date.now(), step: 1 });
  await Runs.update({ run_id: runId, status: 'FINISHED', end_time: Date.now() });
  const { run: finished } = await Runs.get({ run_id: runId });
  assert.equal(finished.info.status, 'FINISHED');
  report({ experiment_id: experimentId, run_id: runId });
}

async function unauthenticated() {
  let failure;
  try {
    await Experiments.create({ name: `npm-auth-denied-${Date.now()}` });
  } catch (error) {
    failure = failureOf(error);
  }
  assert.ok(failure, 'creating an experiment without valid credentials must fail');
  assert.equal(failure.status, 401);
  assert.equal(failure.data?.error_code, 'UNAUTHENTICATED');
  report({ status: failure.status, error_code: failure.data.error_code });
}

const expect = process.env.SLIPWAY_EXPECT ?? 'logged';
try {
  await (expect === 'unauthenticated' ? unauthenticated() : logged());
} catch (error) {
  console.error(`FAIL (${expect}): ${error.stack ?? error}`);
  process.exit(1);
}
