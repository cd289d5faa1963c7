#!/usr/bin/env bash
# The test command, locally and in CI (.ci/run):
#
#   ./scripts/test.sh                                   every test project in Slipway.slnx
#   ./scripts/test.sh --only test/Slipway.Storage.Compliance
#   ./scripts/test.sh -- --filter "FullyQualifiedName~Postgres"     extra arguments go to dotnet test
#
# It installs what the tests need (PostgreSQL, Prometheus, Alertmanager and Chromium through apt-get if missing; the
# npm clients and protocol peers under test/clients/node: mlflow, azurite, s3rver, helm), starts a throwaway PostgreSQL
# cluster for the run (scripts/with-postgres.sh), runs `dotnet test` in Release, and exits with its exit code. Tests
# that need one of these are never skipped.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

log() { printf '[test] %s\n' "$*" >&2; }
die() { printf '[test] ERROR: %s\n' "$*" >&2; exit 1; }

target="Slipway.slnx"
dotnet_args=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --only)
            [[ $# -ge 2 ]] || die "--only needs a project folder or .csproj, e.g. --only test/Slipway.Storage.Compliance"
            target="$2"
            [[ -e "$target" ]] || die "--only: '$target' does not exist"
            shift 2
            ;;
        --)
            shift
            dotnet_args=("$@")
            break
            ;;
        -h | --help)
            sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            die "unknown argument '$1' (see --help)"
            ;;
    esac
done

started=$SECONDS
elapsed() { printf '%dm%02ds' $(((SECONDS - started) / 60)) $(((SECONDS - started) % 60)); }

export DOTNET_NOLOGO=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# CI waits for every process holding its output; MSBuild worker nodes and the compiler server would outlive the run.
if [[ "${CI:-}" == "true" ]]; then
    export MSBUILDDISABLENODEREUSE=1
    export DOTNET_CLI_USE_MSBUILD_SERVER=0
    trap 'dotnet build-server shutdown >/dev/null 2>&1 || true' EXIT
fi

command -v dotnet >/dev/null 2>&1 || die "the .NET SDK (dotnet) is not on PATH; see global.json for the version"

# ---------------------------------------------------------------------------------------------------------------
# Hook: JavaScript clients used by the end-to-end tests (the `mlflow` npm package). The tests that drive them
# expect node_modules to be present under test/clients/node; this installs them from package.json (and the lock
# file when there is one) so a fresh clone needs nothing by hand.
install_node_clients() {
    local dir="test/clients/node"
    [[ -f "$dir/package.json" ]] || return 0
    command -v npm >/dev/null 2>&1 || die "$dir/package.json needs npm, which is not on PATH (install Node.js)"
    log "installing node clients in $dir"
    if [[ -f "$dir/package-lock.json" ]]; then
        (cd "$dir" && npm ci --no-audit --no-fund)
    else
        (cd "$dir" && npm install --no-audit --no-fund)
    fi </dev/null
}
# ---------------------------------------------------------------------------------------------------------------

# Installs Debian packages with apt-get when the binary a test suite drives is missing, as scripts/with-postgres.sh
# does for PostgreSQL. ensure_debian_binary LABEL BINARY OVERRIDE_VARIABLE PACKAGE...; when OVERRIDE_VARIABLE is set
# it names the binary to use instead and nothing is installed.
ensure_debian_binary() {
    local label="$1" binary="$2" override="$3"
    shift 3
    [[ -x "$binary" ]] && return 0
    [[ -z "${!override:-}" ]] || die "$override=$binary is not an executable file"
    local -a sudo=()
    if [[ $EUID -ne 0 ]]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            die "$label is not installed and installing it needs root. Run as root, give this user passwordless sudo, or install it yourself: apt-get install -y $*"
        fi
    fi
    command -v apt-get >/dev/null 2>&1 || die "$label is not installed and apt-get is not available; install it and set $override to its binary"
    log "$label not found; installing $* with apt-get"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@" </dev/null
    [[ -x "$binary" ]] || die "apt-get installed $* but $binary is still missing"
}

# Prometheus Alertmanager for the alerting integration tests (test/Slipway.Monitoring.Tests/Alerts), which start
# it themselves and fail without it.
ensure_alertmanager() {
    ensure_debian_binary Alertmanager "${SLIPWAY_TEST_ALERTMANAGER:-/usr/bin/prometheus-alertmanager}" \
        SLIPWAY_TEST_ALERTMANAGER prometheus-alertmanager
}

# Prometheus and promtool for the observability tests (test/Slipway.Observability.Tests): promtool checks the alert
# rules under deploy/prometheus, and a real Prometheus scrapes a running server.
ensure_prometheus() {
    ensure_debian_binary Prometheus "${SLIPWAY_TEST_PROMETHEUS:-/usr/bin/prometheus}" SLIPWAY_TEST_PROMETHEUS prometheus
}

# Debian's Chromium for the UI tests (test/Slipway.Web.Tests), which drive it headless through Playwright for .NET.
ensure_chromium() {
    ensure_debian_binary Chromium "${SLIPWAY_TEST_CHROMIUM:-/usr/bin/chromium}" SLIPWAY_TEST_CHROMIUM \
        chromium fonts-dejavu-core
}
# ---------------------------------------------------------------------------------------------------------------

# A test project missing from Slipway.slnx would silently never run, here or in CI.
check_test_projects_listed() {
    local csproj missing=()
    while IFS= read -r csproj; do
        grep -q 'Microsoft.NET.Test.Sdk' "$csproj" || continue
        grep -qF "Path=\"$csproj\"" Slipway.slnx || missing+=("$csproj")
    done < <(find test -name '*.csproj' -not -path '*/bin/*' -not -path '*/obj/*' | sort)
    if [[ ${#missing[@]} -gt 0 ]]; then
        printf '[test] ERROR: these test projects are not in Slipway.slnx, so they would never run:\n' >&2
        printf '[test]   <Project Path="%s" />\n' "${missing[@]}" >&2
        die "add them to Slipway.slnx (or run one with --only PATH)"
    fi
}

if [[ "$target" == "Slipway.slnx" ]]; then
    check_test_projects_listed
fi
install_node_clients
ensure_alertmanager
ensure_prometheus
ensure_chromium

log "restoring and building $target (Release)"
dotnet build "$target" -c Release -nologo </dev/null || die "the build of $target FAILED ($(elapsed)); no tests were run"

log "running tests in $target"
output="$(mktemp)"
set +e
scripts/with-postgres.sh dotnet test "$target" -c Release --no-build -nologo \
    --logger "console;verbosity=normal" \
    --blame-hang-timeout 10m \
    "${dotnet_args[@]}" </dev/null 2>&1 | tee "$output"
status=${PIPESTATUS[0]}
set -e

# One closing line over every test project, in the plain 'N passed, N failed, N skipped' form.
awk '/^ +(Passed|Failed|Skipped): [0-9]+$/ { sub(":", "", $1); total[$1] += $2 }
     END { printf "tests: %d passed, %d failed, %d skipped\n", total["Passed"], total["Failed"], total["Skipped"] }' "$output"
# The failures again at the very end, so that a log read from its tail names them.
if grep -q '^ *Failed [A-Za-z_]' "$output"; then
    printf '[test] failed tests:\n'
    awk '/^ *Failed [A-Za-z_]/ { shown = 1; lines = 0 }
         /^ *(Passed|Skipped) [A-Za-z_]/ { shown = 0 }
         shown && lines < 30 { print "    " $0; lines++ }' "$output"
fi
rm -f "$output"

if [[ $status -eq 0 ]]; then
    log "all tests passed ($(elapsed))"
else
    log "tests FAILED with exit code $status ($(elapsed))"
fi
exit "$status"
