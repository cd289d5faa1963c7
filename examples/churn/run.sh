#!/usr/bin/env bash
# The Slipway walk-through: one churn model through its whole life.
#
#   ./examples/churn/run.sh
#
# 1. trains a model on this year's customers and registers it as `churn` version 1 (alias `champion`);
# 2. serves it on the endpoint `churn` and watches it with the drift monitor `churn-drift`;
# 3. stores the pipeline `churn-retrain`, which retrains when that monitor fires;
# 4. sends ordinary traffic (no drift: the monitor stays quiet), then moves the market (the drift knob of churn.cs):
#    new labelled data arrives, traffic drifts, the monitor fires, and the pipeline trains a candidate on the new data,
#    gates it against the champion on a holdout set, registers it, canaries it 10% → 50% → 100% and promotes it.
#
# Without MLFLOW_TRACKING_URI it starts `slipway server` on 127.0.0.1:${PORT:-5050} with its data under
# examples/churn/work/ and stops it at the end; with MLFLOW_TRACKING_URI set it uses that server (which must run on
# this machine: the pipeline reads data files from this folder). SLIPWAY is the command that runs the CLI (default:
# `slipway` on PATH, else the one this repository builds). DRIFT (default 0.8) is how far the market moves.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="${CHURN_WORKDIR:-$here/work}"
drift="${DRIFT:-0.8}"
timeout_seconds="${CHURN_TIMEOUT:-900}"

if [[ -n "${SLIPWAY:-}" ]]; then
    read -r -a slipway <<<"$SLIPWAY"
elif command -v slipway >/dev/null 2>&1; then
    slipway=(slipway)
else
    # Build once, then run the built CLI: `dotnet run` would rebuild-check on every call and outlive a kill.
    dotnet build "$repo/src/Slipway.Cli" -c Release -v quiet -nologo >/dev/null
    slipway=(dotnet "$repo/src/Slipway.Cli/bin/Release/net10.0/slipway.dll")
fi

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
die() { printf 'churn example: %s\n' "$*" >&2; exit 1; }
churn() { dotnet run --file "$here/churn.cs" -- "$@"; }

mkdir -p "$work/data"
data="$work/data"

server_pid=""
traffic_pid=""
# `dotnet run` starts the app as its child: stop both.
stop_traffic() {
    if [[ -n "$traffic_pid" ]]; then
        pkill -TERM -P "$traffic_pid" 2>/dev/null || true
        kill "$traffic_pid" 2>/dev/null || true
        wait "$traffic_pid" 2>/dev/null || true
        traffic_pid=""
    fi
}
cleanup() {
    stop_traffic
    if [[ -n "$server_pid" ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
}
trap cleanup EXIT

if [[ -z "${MLFLOW_TRACKING_URI:-}" ]]; then
    port="${PORT:-5050}"
    export MLFLOW_TRACKING_URI="http://127.0.0.1:$port"
    say "Starting slipway server on $MLFLOW_TRACKING_URI (data in $work/server)"
    rm -rf "$work/server"
    mkdir -p "$work/server"
    # The inference log flushes every 2 s and monitors look for work every 2 s so the walk-through does not wait.
    Slipway__InferenceLog__FlushInterval=00:00:02 \
        "${slipway[@]}" server --port "$port" --grpc-port 0 \
        --backend-store-uri "sqlite:///$work/server/slipway.db" --artifacts-destination "$work/server/artifacts" \
        >"$work/server/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 120); do
        curl -fsS "$MLFLOW_TRACKING_URI/health/ready" >/dev/null 2>&1 && break
        kill -0 "$server_pid" 2>/dev/null || die "the server exited; see $work/server/server.log"
        sleep 0.5
    done
    curl -fsS "$MLFLOW_TRACKING_URI/health/ready" >/dev/null || die "the server did not become healthy; see $work/server/server.log"
fi
url="$MLFLOW_TRACKING_URI"

say "1. Data: this year's customers (drift 0)"
churn generate --rows 20000 --drift 0 --seed 1 --out "$data/train.csv"
churn generate --rows 5000 --drift 0 --seed 2 --out "$data/holdout.csv"
cp "$data/train.csv" "$data/current.csv"

say "2. Train, register and serve version 1"
"${slipway[@]}" train --data "$data/train.csv" --label churned --task binary --trainer lightgbm \
    --experiment churn --register-as churn
"${slipway[@]}" models alias set churn champion 1
"${slipway[@]}" endpoints create churn --model models:/churn/1 --log-sample-rate 1
for _ in $(seq 1 120); do
    "${slipway[@]}" endpoints get churn 2>/dev/null | grep -q "ready" && break
    sleep 0.5
done

say "3. Watch it: monitor churn-drift; retrain with pipeline churn-retrain when it fires"
"${slipway[@]}" monitors create --file "$here/monitor.yaml"
# Its steps work in $work (the data files' folder), for runs started by a trigger too.
"${slipway[@]}" pipeline apply "$here/retrain.yaml" --working-directory "$work"

say "4. Ordinary traffic, then a monitor run: no drift"
churn traffic --url "$url" --endpoint churn --requests 300 --batch 8 --drift 0 --seed 10
sleep 3
"${slipway[@]}" monitors run churn-drift

say "5. The market moves (drift $drift): new labelled data, drifted traffic"
churn generate --rows 20000 --drift "$drift" --seed 3 --out "$data/current.csv"
churn generate --rows 5000 --drift "$drift" --seed 4 --out "$data/holdout.csv"
churn traffic --url "$url" --endpoint churn --requests 1500 --batch 8 --drift "$drift" --seed 11
sleep 3
# Traffic keeps flowing while the pipeline retrains, so the canary stages have requests to judge.
churn traffic --url "$url" --endpoint churn --duration "$timeout_seconds" --batch 4 --concurrency 2 \
    --drift "$drift" --seed 12 >"$work/traffic.log" 2>&1 &
traffic_pid=$!

say "6. The monitor fires and starts churn-retrain"
"${slipway[@]}" monitors run churn-drift
"${slipway[@]}" monitors alerts churn-drift --active

say "7. Retraining: train → gate → register → deploy (10% → 50% → 100%) → promote"
"${slipway[@]}" pipeline wait churn-retrain --timeout "${timeout_seconds}s"
stop_traffic

say "Final state"
"${slipway[@]}" models get churn
"${slipway[@]}" endpoints get churn
"${slipway[@]}" models lineage churn 2
echo
echo "The pipeline run, step by step: ${slipway[*]} pipeline get churn-retrain"
echo "Everything above is in the server at $url (stopped now if this script started it)."
