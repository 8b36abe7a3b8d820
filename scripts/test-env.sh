# Sourced by scripts/test.sh and scripts/demo.sh: where the local PostgreSQL accepts us.
if psql "postgres://postgres@127.0.0.1:5432/postgres" -Atqc 'select 1' >/dev/null 2>&1; then
  export KMS_TEST_DATABASE_URL="${KMS_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
else
  export KMS_TEST_DATABASE_URL="${KMS_TEST_DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/postgres}"
fi
export KMSC_HOME="${KMSC_HOME:-$(pwd)}"
