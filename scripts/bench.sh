#!/usr/bin/env bash
# The benchmark (docs/benchmarks.md): builds the service jar and the devnet jar without running
# the tests, then measures each service beside the raw rate of PostgreSQL, S3Mock and anvil on
# this machine. Options go to the benchmark: --requests N (default 1000), --e2e M (default 500),
# --out FILE (the table as markdown).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prepare-env.sh
source scripts/test-env.sh
echo "== building the jars (tests skipped)"
mvn -B -q -DskipTests package
exec java -Xmx1g -Dkms.connector.jar=target/kms-connector-0.15.0.jar \
  -cp target/kms-connector-0.15.0.jar:target/kms-connector-0.15.0-devnet.jar org.kmsconnector.devnet.bench.Benchmark "$@"
