#!/usr/bin/env bash
# Smoke test of the Camel JBang way to run a service: `camel run` (scripts/camel.sh) runs the
# gw-listener's YAML routes and the monitoring routes with the connector's jar as a dependency,
# against a fresh database and a local anvil. Passes when /liveness and /healthz answer 200 with
# both dependencies up, /metrics answers, and the listener has written its block checkpoint.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prepare-env.sh >/dev/null
source scripts/test-env.sh
rpc_port=18611
mon_port=18612
db=kmsc_jbang_smoke
work=target/jbang-smoke
mkdir -p "$work"
anvil_pid=""
camel_pid=""
cleanup() {
  if [ -n "$camel_pid" ] && kill "$camel_pid" 2>/dev/null; then
    for _ in $(seq 1 30); do kill -0 "$camel_pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$camel_pid" 2>/dev/null || true
  fi
  [ -n "$anvil_pid" ] && kill "$anvil_pid" 2>/dev/null || true
  psql "$KMS_TEST_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT

node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil --host 127.0.0.1 --port $rpc_port --silent \
  >"$work/anvil.log" 2>&1 &
anvil_pid=$!
psql "$KMS_TEST_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null
db_url="${KMS_TEST_DATABASE_URL%/*}/$db"

export KMS_CONNECTOR_SERVICE=gw-listener MONITORING_PORT=$mon_port
export KMS_CONNECTOR_DATABASE_URL="$db_url" KMS_CONNECTOR_MONITORING_ENDPOINT="127.0.0.1:$mon_port"
export KMS_CONNECTOR_GATEWAY_URL="http://127.0.0.1:$rpc_port" KMS_CONNECTOR_GATEWAY_CHAIN_ID=31337
export KMS_CONNECTOR_ETHEREUM_URL="http://127.0.0.1:$rpc_port" KMS_CONNECTOR_ETHEREUM_CHAIN_ID=31337
export KMS_CONNECTOR_DECRYPTION_CONTRACT__ADDRESS=0x00000000000000000000000000000000000000d1
export KMS_CONNECTOR_KMS_GENERATION_CONTRACT__ADDRESS=0x00000000000000000000000000000000000000d2
export KMS_CONNECTOR_PROTOCOL_CONFIG_CONTRACT__ADDRESS=0x00000000000000000000000000000000000000d3

echo "== camel run (Camel JBang 4.17.0): gw-listener routes + monitoring routes; log in $work/camel.log"
scripts/camel.sh run jbang/application.properties \
  src/main/resources/routes/gw-listener/*.camel.yaml src/main/resources/routes/shared/*.camel.yaml \
  src/main/resources/routes/monitoring/*.camel.yaml \
  --max-seconds=120 >"$work/camel.log" 2>&1 &
camel_pid=$!

fail() { echo "FAILED: $*" >&2; tail -40 "$work/camel.log" >&2; exit 1; }
for i in $(seq 1 90); do
  curl -sf "http://127.0.0.1:$mon_port/liveness" >/dev/null && break
  kill -0 "$camel_pid" 2>/dev/null || fail "camel run exited"
  sleep 1
done
curl -sf "http://127.0.0.1:$mon_port/liveness" >/dev/null || fail "/liveness did not answer within 90 s"
health=$(curl -sf "http://127.0.0.1:$mon_port/healthz") || fail "/healthz is not 200"
echo "$health" | grep -q '"database_connected":true' || fail "database check: $health"
echo "$health" | grep -q '"gateway_connected":true' || fail "gateway check: $health"
curl -sf "http://127.0.0.1:$mon_port/metrics" >/dev/null || fail "/metrics"
for i in $(seq 1 30); do
  block=$(psql "$db_url" -Atc "SELECT block_number FROM last_block_polled_by_chain WHERE chain_name = 'gateway'" 2>/dev/null || true)
  [ -n "$block" ] && break
  sleep 1
done
[ -n "$block" ] || fail "the listener wrote no checkpoint"
echo "ok: /liveness, /healthz ($health), /metrics; gateway checkpoint at block $block"
echo "1 passed, 0 failed"
