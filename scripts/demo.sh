#!/usr/bin/env bash
# The local demo: prepares the machine (PostgreSQL, anvil, S3Mock), builds the jar without
# running the tests, then runs a whole pipeline through it: a key and a CRS, a new KMS context and
# epoch, then a stream of public and user decryptions.
# Options go to the demo: --requests N (default 50), --rate R per second (default 10), --keep.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prepare-env.sh
source scripts/test-env.sh
echo "== building the jar (tests skipped; scripts/test.sh runs them)"
mvn -B -q -DskipTests package
exec java -cp target/kms-connector-0.15.0.jar:target/kms-connector-0.15.0-devnet.jar org.kmsconnector.devnet.Demo "$@"
