#!/usr/bin/env bash
# Builds the connector's container image as a tar, without a Docker daemon or a registry:
#  1. a base image: a minimal Debian bookworm root file system with openjdk-17-jre-headless,
#     made with debootstrap from this machine's configured Debian mirror and written as a
#     docker-save archive (target/image/base-image.tar; reused when present);
#  2. Jib (the `image` profile) layers the connector (dependencies, resources, classes) on it and
#     writes target/kms-connector-image.tar (docker load -i …, or skopeo/crane to push it).
# Where a registry is reachable, skip step 1 and take a published JRE base instead:
#   JIB_FROM_IMAGE=eclipse-temurin:17-jre scripts/build-image.sh          (still a tar), or push:
#   mvn -Pimage -DskipTests package jib:build -Djib.from.image=eclipse-temurin:17-jre -Dimage=REGISTRY/kms-connector:0.15.0
# Options: --smoke  also unpacks the image and runs its entrypoint in a chroot (--version).
set -euo pipefail
cd "$(dirname "$0")/.."
work=target/image
base_tar=$work/base-image.tar
rootfs=$work/rootfs

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

debian_mirror() {
  # the first bookworm "deb" source of apt (deb822 .sources or one-line sources.list)
  local uri
  uri=$(awk '/^URIs:/{u=$2} /^Suites:/ && /bookworm( |$)/ && u {print u; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  if [ -z "$uri" ]; then
    uri=$(awk '$1=="deb" && $3=="bookworm" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  fi
  [ -n "$uri" ] || { echo "no Debian bookworm source in apt's configuration" >&2; return 1; }
  echo "$uri"
}

build_base() {
  command -v debootstrap >/dev/null || { as_root apt-get update -q; as_root apt-get install -y -q debootstrap; }
  local mirror
  mirror=$(debian_mirror)
  echo "== debootstrap: bookworm minbase + openjdk-17-jre-headless (from apt's configured mirror)"
  as_root rm -rf "$rootfs"
  mkdir -p "$work"
  as_root debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates \
    bookworm "$rootfs" "$mirror" > "$work/debootstrap.log" 2>&1 \
    || { tail -30 "$work/debootstrap.log" >&2; exit 1; }
  # an image needs no package caches, docs or apt lists
  as_root rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/usr/share/doc "$rootfs"/usr/share/man "$rootfs"/usr/share/locale
  echo "== writing $base_tar (docker-save format, one layer)"
  local dir=$work/base
  rm -rf "$dir" && mkdir -p "$dir"
  as_root tar --numeric-owner --sort=name -C "$rootfs" -cf "$dir/layer.tar" .
  local diff_id config_id created
  diff_id=$(sha256sum "$dir/layer.tar" | cut -d' ' -f1)
  created=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  cat > "$dir/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"$created",
 "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
   "JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64","LANG=C.UTF-8"]},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
 "history":[{"created":"$created","created_by":"debootstrap --variant=minbase bookworm + openjdk-17-jre-headless"}]}
JSON
  config_id=$(sha256sum "$dir/config.json" | cut -d' ' -f1)
  mv "$dir/config.json" "$dir/$config_id.json"
  printf '[{"Config":"%s.json","RepoTags":["kms-connector-base:bookworm-jre17"],"Layers":["layer.tar"]}]\n' \
    "$config_id" > "$dir/manifest.json"
  tar -C "$dir" -cf "$base_tar" manifest.json "$config_id.json" layer.tar
  rm -rf "$dir"
}

if [ -z "${JIB_FROM_IMAGE:-}" ] && [ ! -f "$base_tar" ]; then
  build_base
fi
echo "== jib: target/kms-connector-image.tar on tar://$base_tar"
mvn -B -q -Pimage -DskipTests package jib:buildTar -Djib.from.image="${JIB_FROM_IMAGE:-tar://$PWD/$base_tar}"
ls -la target/kms-connector-image.tar

if [ "${1:-}" = "--smoke" ]; then
  echo "== smoke: unpack the image's layers in order and run its entrypoint in a chroot"
  image=$PWD/target/kms-connector-image.tar
  unpacked=$work/unpacked
  as_root rm -rf "$unpacked" && mkdir -p "$unpacked"
  manifest=$(tar -xOf "$image" manifest.json)
  config=$(echo "$manifest" | grep -o '"[Cc]onfig":"[^"]*"' | cut -d'"' -f4)
  for layer in $(echo "$manifest" | grep -o '"[Ll]ayers":\[[^]]*\]' | grep -o '"[^"]*\.tar[^"]*"' | tr -d '"'); do
    tar -xOf "$image" "$layer" | as_root tar -x --numeric-owner --warning=no-unknown-keyword -C "$unpacked" $(case "$layer" in *gz) echo -z;; esac)
  done
  # the loader resolves the JRE's $ORIGIN rpath through /proc, as in any container
  as_root mount -t proc proc "$unpacked/proc"
  trap 'as_root umount "$unpacked/proc" 2>/dev/null || true' EXIT
  entrypoint=$(tar -xOf "$image" "$config" | grep -o '"Entrypoint":\[[^]]*\]' | sed 's/"Entrypoint":\[//; s/\]$//; s/","/ /g; s/"//g')
  echo "entrypoint: $entrypoint"
  as_root chroot --userspec=65532:65532 "$unpacked" /bin/sh -c "cd /; $entrypoint --version"
  as_root cp config/kms-worker.toml "$unpacked/tmp/kms-worker.toml"
  as_root chroot --userspec=65532:65532 "$unpacked" /bin/sh -c "cd /tmp; $entrypoint kms-worker validate --config /tmp/kms-worker.toml"
fi
