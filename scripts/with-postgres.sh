#!/usr/bin/env bash
# Run a command with NIANBAO_TEST_POSTGRES_URL pointing at a throwaway PostgreSQL server.
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]
# The server lives in a temp folder, listens on a free loopback port, and is removed on exit.
# If NIANBAO_TEST_POSTGRES_URL is already set, the command runs against that server instead.
set -euo pipefail

if [ -n "${NIANBAO_TEST_POSTGRES_URL:-}" ]; then exec "$@"; fi

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pgbin" ]; then
  echo "with-postgres: no PostgreSQL server binaries (apt-get install postgresql); PostgreSQL tests will be skipped" >&2
  exec "$@"
fi

dir=$(mktemp -d /tmp/nianbao-pg.XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_owner=()
if [ "$(id -u)" = 0 ]; then
  # initdb and postgres refuse to run as root.
  chown nobody "$dir"
  as_owner=(runuser -u nobody --)
fi

stop() {
  "${as_owner[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

"${as_owner[@]}" "$pgbin/initdb" -D "$dir/data" -U nianbao --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
"${as_owner[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null
"${as_owner[@]}" "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U nianbao nianbao_test
echo "with-postgres: throwaway PostgreSQL on 127.0.0.1:$port" >&2

export NIANBAO_TEST_POSTGRES_URL="postgresql+psycopg://nianbao@127.0.0.1:$port/nianbao_test"
"$@"
