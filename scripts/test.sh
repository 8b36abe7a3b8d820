#!/usr/bin/env bash
# The test command: prepares the machine, then unit tests, the jar, and the integration tests
# that run the three services from that jar against PostgreSQL, anvil, S3Mock and the KMS double.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prepare-env.sh
source scripts/test-env.sh
# The manifests under k8s/ are checked offline by K8sManifestsTest (part of the unit tests);
# where kubectl is installed, kustomize also renders them (no cluster is needed for that).
if command -v kubectl >/dev/null 2>&1; then
  echo "== kubectl kustomize k8s (render check)"
  kubectl kustomize k8s >/dev/null
fi
mvn -B verify "$@"
