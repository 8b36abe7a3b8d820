#!/usr/bin/env bash
# The benchmark (docs/benchmarks.md): builds the jar and the test classes without running the
# tests, then measures each service beside the raw rate of PostgreSQL, S3Mock and anvil on this
# machine. Options go to the benchmark: --requests N (default 1000), --e2e M (default 500),
# --out FILE (the table as markdown).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prepare-env.sh
source scripts/test-env.sh
echo "== building the jar and the benchmark (tests skipped)"
mvn -B -q -DskipTests package
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Xmx1g -Dkms.connector.jar=target/kms-connector-0.15.0.jar \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" org.kmsconnector.bench.Benchmark "$@"
