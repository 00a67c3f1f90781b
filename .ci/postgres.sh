#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for the tests.
#   .ci/postgres.sh start DIR PORT   initdb in DIR (as the postgres user), start on 127.0.0.1:PORT
#   .ci/postgres.sh stop DIR         stop it and remove DIR
# Installs Debian's `postgresql` package when no server binaries are found (needs root).
# Prints the SQLAlchemy URL on start: postgresql+psycopg://postgres@127.0.0.1:PORT/postgres
set -euo pipefail

find_bin() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
      echo "$d"
      return 0
    fi
  done
  return 1
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    # runuser keeps no terminal and needs no password; cd somewhere the postgres user may read
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

cmd="${1:-}"
dir="${2:-}"
case "$cmd" in
  start)
    port="${3:?port}"
    bin=$(find_bin || true)
    if [ -z "$bin" ]; then
      echo "== apt-get install postgresql" >&2
      apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
      bin=$(find_bin)
    fi
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
      id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" --shell /usr/sbin/nologin postgres
      chown postgres "$dir"
      chmod 700 "$dir"
    fi
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    # Test server: loopback only, socket in DIR, durability traded for speed (the data is thrown away).
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    bin=$(find_bin || true)
    if [ -n "$bin" ] && [ -f "$dir/data/postmaster.pid" ]; then
      as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start DIR PORT | stop DIR" >&2
    exit 2
    ;;
esac
