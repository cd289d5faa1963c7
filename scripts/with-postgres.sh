#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster:
#
#   scripts/with-postgres.sh dotnet test test/Slipway.Storage.Compliance
#
# Installs PostgreSQL with apt-get if it is missing, initialises a cluster in a temporary folder (C locale, UTF8,
# trust auth), starts it on 127.0.0.1 on a free port with its unix socket in that folder, creates the database
# slipway_test, exports SLIPWAY_TEST_POSTGRES=postgresql://postgres@127.0.0.1:PORT/slipway_test, runs the command,
# and on exit (success, failure or Ctrl-C) stops the cluster and deletes the folder. Exits with the command's code.
#
# If SLIPWAY_TEST_POSTGRES is already set, that server is used as it is and nothing is started.
# PG_BIN may name the folder holding initdb/pg_ctl/psql; otherwise /usr/lib/postgresql/<newest>/bin or PATH is used.
set -euo pipefail

log() { printf '[with-postgres] %s\n' "$*" >&2; }
die() { printf '[with-postgres] ERROR: %s\n' "$*" >&2; exit 1; }

if [[ $# -eq 0 ]]; then
    die "usage: $0 COMMAND [ARGS...]"
fi

if [[ -n "${SLIPWAY_TEST_POSTGRES:-}" ]]; then
    log "SLIPWAY_TEST_POSTGRES is already set; using that server instead of starting one"
    "$@"
    exit $?
fi

# Prints the folder that holds initdb and pg_ctl, or nothing.
find_pg_bin() {
    if [[ -n "${PG_BIN:-}" && -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" ]]; then
        printf '%s\n' "$PG_BIN"
        return
    fi
    local dir version best="" best_version=-1
    for dir in /usr/lib/postgresql/*/bin; do
        [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]] || continue
        version="${dir#/usr/lib/postgresql/}"
        version="${version%/bin}"
        [[ "$version" =~ ^[0-9]+$ ]] || continue
        if ((version > best_version)); then
            best="$dir"
            best_version="$version"
        fi
    done
    if [[ -n "$best" ]]; then
        printf '%s\n' "$best"
        return
    fi
    local initdb
    if initdb="$(command -v initdb 2>/dev/null)" && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(readlink -f "$initdb")"
    fi
}

install_postgres() {
    local -a sudo=()
    if [[ $EUID -ne 0 ]]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            die "PostgreSQL is not installed and installing it needs root. Run as root, give this user passwordless sudo, or install it yourself: apt-get install -y postgresql"
        fi
    fi
    command -v apt-get >/dev/null 2>&1 || die "PostgreSQL is not installed and apt-get is not available; install PostgreSQL (initdb, pg_ctl, psql) and/or set PG_BIN"
    log "PostgreSQL not found; installing it with apt-get (takes a minute)"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold postgresql </dev/null
}

PG_BIN="$(find_pg_bin)"
if [[ -z "$PG_BIN" ]]; then
    install_postgres
    PG_BIN="$(find_pg_bin)"
    [[ -n "$PG_BIN" ]] || die "apt-get installed postgresql but initdb/pg_ctl are still not found under /usr/lib/postgresql/*/bin"
fi
log "using PostgreSQL from $PG_BIN ($("$PG_BIN/pg_ctl" --version))"

# PostgreSQL refuses to run as root, so as root the cluster belongs to the postgres system user.
if [[ $EUID -eq 0 ]]; then
    if ! id -u postgres >/dev/null 2>&1; then
        log "creating the postgres system user"
        useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin postgres
    fi
    command -v runuser >/dev/null 2>&1 || command -v su >/dev/null 2>&1 || die "neither runuser nor su is available to run PostgreSQL as the postgres user"
    # /tmp rather than the repository: the clone may sit under a folder (e.g. /root) the postgres user cannot enter.
    cluster_dir="$(mktemp -d /tmp/slipway-pg.XXXXXX)"
    chown postgres: "$cluster_dir"
else
    cluster_dir="$(mktemp -d "${TMPDIR:-/tmp}/slipway-pg.XXXXXX")"
fi
chmod 700 "$cluster_dir"
data_dir="$cluster_dir/data"

# Runs a PostgreSQL server binary as the cluster owner.
pg() {
    if [[ $EUID -ne 0 ]]; then
        "$@"
    elif command -v runuser >/dev/null 2>&1; then
        runuser -u postgres -- "$@"
    else
        su -s /bin/bash postgres -c "$(printf '%q ' "$@")"
    fi
}

# shellcheck disable=SC2317  # invoked through the EXIT trap
cleanup() {
    local code=$?
    trap - EXIT INT TERM
    if [[ -f "$data_dir/postmaster.pid" ]]; then
        log "stopping PostgreSQL"
        if ! pg "$PG_BIN/pg_ctl" -D "$data_dir" -m fast -w -t 30 stop >/dev/null 2>&1; then
            log "fast shutdown failed; server log tail:"
            tail -n 20 "$cluster_dir/server.log" >&2 || true
            pg "$PG_BIN/pg_ctl" -D "$data_dir" -m immediate -w -t 30 stop >/dev/null 2>&1 || log "PostgreSQL could not be stopped"
        fi
    fi
    rm -rf "$cluster_dir"
    exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

log "initialising a cluster in $data_dir"
pg "$PG_BIN/initdb" -D "$data_dir" -U postgres --locale=C -E UTF8 --auth=trust >"$cluster_dir/initdb.log" 2>&1 \
    || { cat "$cluster_dir/initdb.log" >&2; die "initdb failed"; }

# Durability is worth nothing for a cluster deleted at exit; turning it off makes migrations and writes faster.
cat >>"$data_dir/postgresql.conf" <<EOF

# slipway test cluster
listen_addresses = '127.0.0.1'
unix_socket_directories = '$cluster_dir'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

# Another run (a colleague's, a parallel CI job) may take the port between the check and the start, so retry.
port="${SLIPWAY_TEST_POSTGRES_PORT:-55432}"
for attempt in 1 2 3 4 5 6 7 8 9 10; do
    while port_in_use "$port"; do
        port=$((port + 1))
    done
    log "starting PostgreSQL on 127.0.0.1:$port"
    if pg "$PG_BIN/pg_ctl" -D "$data_dir" -l "$cluster_dir/server.log" -o "-p $port" -w -t 60 start >/dev/null; then
        break
    fi
    if [[ $attempt -eq 10 ]] || ! grep -q "could not bind\|could not create any TCP/IP sockets" "$cluster_dir/server.log"; then
        cat "$cluster_dir/server.log" >&2 || true
        die "PostgreSQL did not start"
    fi
    log "port $port was taken meanwhile; trying the next one"
    port=$((port + 1))
done

psql_bin="$PG_BIN/psql"
[[ -x "$psql_bin" ]] || psql_bin="$(command -v psql)" || die "psql not found"
"$psql_bin" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres \
    -c "CREATE DATABASE slipway_test" </dev/null

export SLIPWAY_TEST_POSTGRES="postgresql://postgres@127.0.0.1:$port/slipway_test"
log "SLIPWAY_TEST_POSTGRES=$SLIPWAY_TEST_POSTGRES"

# Not exec: the trap must still stop the cluster when the command ends.
set +e
"$@"
status=$?
set -e
exit "$status"
