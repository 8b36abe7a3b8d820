#!/usr/bin/env bash
# Camel JBang's `camel` command (4.17.0) with the connector's jar on its class path, without the
# jbang launcher: Maven resolves camel-jbang-core and camel-kamelet-main once (jbang/pom.xml),
# and jbang/CamelCli.java calls CamelJBangMain. Builds the jar if it is missing.
#   scripts/camel.sh version
#   KMS_CONNECTOR_SERVICE=gw-listener KMS_CONNECTOR_CONFIG=config/gw-listener.toml \
#     scripts/camel.sh run jbang/application.properties \
#       src/main/resources/routes/gw-listener/*.camel.yaml src/main/resources/routes/monitoring/*.camel.yaml
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/target/kms-connector-0.15.0.jar"
cp_file="$root/target/camel-jbang.classpath"
if [ ! -f "$jar" ]; then
  (cd "$root" && mvn -B -q -DskipTests package)
fi
if [ ! -s "$cp_file" ] || [ "$root/jbang/pom.xml" -nt "$cp_file" ]; then
  mkdir -p "$root/target"
  mvn -B -q -f "$root/jbang/pom.xml" dependency:build-classpath -Dmdep.outputFile="$cp_file" >&2
fi
# Camel JBang's jars first: the connector's shaded jar carries the same Camel 4.17.0 classes.
exec java ${CAMEL_JAVA_OPTS:-} -cp "$(cat "$cp_file"):$jar" "$root/jbang/CamelCli.java" "$@"
