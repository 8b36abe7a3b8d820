#!/usr/bin/env bash
# Makes a Debian machine with Java 17+, Maven and Node ready for the tests and the demo:
# PostgreSQL installed and running, Chromium, the npm tools (anvil, solc-js), the S3Mock server jar.
# Idempotent; prints what it does. Exports nothing: source scripts/test-env.sh for the URLs.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
  echo "need root for: $*" >&2; return 1; fi; }

pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }

if ! pg_up; then
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    echo "== installing PostgreSQL from Debian's packages"
    as_root apt-get update -q
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q postgresql
  fi
  version=$(ls /usr/lib/postgresql | sort -V | tail -1)
  echo "== starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || as_root pg_ctlcluster "$version" main start
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  pg_up || { echo "PostgreSQL did not come up on 127.0.0.1:5432" >&2; exit 1; }
fi

# The tests connect as postgres over TCP; a fresh Debian cluster wants a password there.
if ! psql "postgres://postgres@127.0.0.1:5432/postgres" -Atqc 'select 1' >/dev/null 2>&1; then
  if ! psql "postgres://postgres:postgres@127.0.0.1:5432/postgres" -Atqc 'select 1' >/dev/null 2>&1; then
    echo "== giving the postgres role the password 'postgres' for TCP logins (local test cluster)"
    as_root su postgres -c "psql -q -c \"ALTER ROLE postgres PASSWORD 'postgres'\""
  fi
fi

if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing Chromium from Debian's packages (the status page's browser test)"
  as_root apt-get update -q
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q chromium
fi

if [ ! -x node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil ] || [ ! -d node_modules/solc ]; then
  echo "== installing the npm tools (anvil, solc-js)"
  npm install --no-audit --no-fund
fi

S3MOCK=~/.m2/repository/com/adobe/testing/s3mock/5.2.0/s3mock-5.2.0-exec.jar
if [ ! -f "$S3MOCK" ]; then
  echo "== fetching the S3Mock server jar"
  mvn -B -q dependency:get -Dartifact=com.adobe.testing:s3mock:5.2.0:jar:exec -Dtransitive=false
fi
