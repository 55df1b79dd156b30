#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests and for trying the project on
# PostgreSQL: localhost only, a private port and data directory, trust auth.
#
#   scripts/pg_cluster.sh start    initdb (first time), start, create the
#                                  database and the `reporting` role
#   scripts/pg_cluster.sh stop     stop it and delete its data directory
#   scripts/pg_cluster.sh status   exit 0 if it accepts connections
#   scripts/pg_cluster.sh env      print the CARTIFY_PG_* variables to export
#
# Settings (environment): CARTIFY_PG_PORT (54329), CARTIFY_PG_DIR
# (/tmp/cartify-pg-<port>), CARTIFY_PG_USER (cartify), CARTIFY_PG_DATABASE
# (cartify). Needs Debian's `postgresql` package (15). PostgreSQL refuses to
# run as root, so as root the server runs as the `postgres` system user.
set -euo pipefail

PORT="${CARTIFY_PG_PORT:-54329}"
DIR="${CARTIFY_PG_DIR:-/tmp/cartify-pg-$PORT}"
USER_NAME="${CARTIFY_PG_USER:-cartify}"
DATABASE="${CARTIFY_PG_DATABASE:-cartify}"

die() { echo "pg_cluster: $*" >&2; exit 2; }

bindir=""
for candidate in /usr/lib/postgresql/*/bin; do
    [[ -x "$candidate/initdb" ]] && bindir="$candidate"
done
if [[ -z "$bindir" ]] && command -v initdb >/dev/null; then
    bindir="$(dirname "$(command -v initdb)")"
fi

as_owner() {
    if [[ "$(id -u)" == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

psql_admin() {
    "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h localhost -p "$PORT" \
        -U "$USER_NAME" "$@"
}

start() {
    [[ -n "$bindir" ]] || die "PostgreSQL not found (apt-get install postgresql)"
    if [[ "$(id -u)" == 0 ]] && ! id postgres >/dev/null 2>&1; then
        die "running as root needs the 'postgres' system user (Debian's postgresql package)"
    fi
    if [[ ! -f "$DIR/PG_VERSION" ]]; then
        mkdir -p "$DIR"
        [[ "$(id -u)" == 0 ]] && chown postgres: "$DIR"
        chmod 700 "$DIR"
        as_owner "$bindir/initdb" -D "$DIR" -U "$USER_NAME" --auth=trust \
            --encoding=UTF8 --locale=C.UTF-8 >"$DIR.initdb.log" 2>&1 \
            || die "initdb failed, see $DIR.initdb.log"
    fi
    if ! as_owner "$bindir/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
        # fsync off: a throwaway cluster, rebuilt from the raw files anyway.
        as_owner "$bindir/pg_ctl" -D "$DIR" -w -t 60 -l "$DIR/server.log" \
            -o "-p $PORT -k $DIR -c listen_addresses=localhost -c fsync=off \
-c synchronous_commit=off -c full_page_writes=off" start >/dev/null \
            || die "server did not start, see $DIR/server.log"
    fi
    if [[ -z "$(psql_admin -d postgres -tAc \
        "select 1 from pg_database where datname = '$DATABASE'")" ]]; then
        psql_admin -d postgres -c "create database \"$DATABASE\""
    fi
    # The role BI tools use: dbt's `grants` give it the marts (dbt_project.yml).
    psql_admin -d "$DATABASE" -c "do \$\$ begin
        if not exists (select from pg_roles where rolname = 'reporting') then
            create role reporting login;
        end if; end \$\$"
    echo "pg_cluster: PostgreSQL on localhost:$PORT, database $DATABASE, user $USER_NAME ($DIR)"
}

stop() {
    if [[ -f "$DIR/PG_VERSION" ]]; then
        as_owner "$bindir/pg_ctl" -D "$DIR" -m fast stop >/dev/null 2>&1 || true
        rm -rf "$DIR" "$DIR.initdb.log"
        echo "pg_cluster: stopped and removed $DIR"
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) psql_admin -d "$DATABASE" -tAc "select 1" >/dev/null 2>&1 ;;
    env)
        echo "export CARTIFY_PG_HOST=localhost CARTIFY_PG_PORT=$PORT" \
            "CARTIFY_PG_USER=$USER_NAME CARTIFY_PG_DATABASE=$DATABASE"
        ;;
    *) die "usage: scripts/pg_cluster.sh start|stop|status|env" ;;
esac
