#!/usr/bin/env bash
# The test command: prepares the machine, then unit tests, the jar, and the integration tests
# that run the three services from that jar against PostgreSQL, anvil, S3Mock and the KMS double.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prepare-env.sh
source scripts/test-env.sh
mvn -B verify "$@"
