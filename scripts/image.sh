#!/usr/bin/env bash
# Build the container image with podman (`make image`).
#
# No image registry is needed: when BASE_IMAGE is not given and the local Debian base image is missing, it is made
# once with debootstrap from the Debian mirror this machine's apt uses and imported into podman (kept there, so the
# next build starts from it; `podman rmi localhost/ambassadeurs-base:bookworm` makes it again). Both stages install
# the Debian security updates, so an older base image still gives a patched image. pip's wheels are kept in a build cache between builds (RUN --mount=type=cache).
#
#   scripts/image.sh                 build localhost/ambassadeurs:latest
#   IMAGE=... BASE_IMAGE=... scripts/image.sh
#
# With a registry at hand, `podman build -f Containerfile .` (or docker build) uses debian:bookworm-slim directly.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE="${IMAGE:-localhost/ambassadeurs:latest}"
LOCAL_BASE="localhost/ambassadeurs-base:bookworm"
BASE_IMAGE="${BASE_IMAGE:-}"
CA_BUNDLE="${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"

# shellcheck source=scripts/podman_env.sh
source scripts/podman_env.sh

debian_mirror() {
  # The first Debian archive apt uses here (deb822 "URIs:" or a one-line "deb" entry).
  local mirror
  mirror="$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -1 || true)"
  if [ -z "$mirror" ]; then
    mirror="$(grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print $2}' | grep debian | grep -v security | head -1 || true)"
  fi
  echo "${mirror:-http://deb.debian.org/debian}"
}

security_mirror() {
  local mirror
  mirror="$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep security | head -1 || true)"
  echo "${mirror:-http://deb.debian.org/debian-security}"
}

if [ -z "$BASE_IMAGE" ]; then
  BASE_IMAGE="$LOCAL_BASE"
  if ! podman image exists "$LOCAL_BASE"; then
    command -v debootstrap >/dev/null || { echo "debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }
    rootfs="$(mktemp -d /var/tmp/ambassadeurs-rootfs.XXXXXX)"
    trap 'rm -rf "$rootfs"' EXIT
    echo "== base image: debootstrap bookworm from $(debian_mirror)"
    debootstrap --variant=minbase bookworm "$rootfs" "$(debian_mirror)" >/dev/null
    # The archives debian:bookworm-slim has: the release, its updates and the security archive (debootstrap
    # writes only the release), so the image's apt-get picks up security fixes.
    rm -f "$rootfs/etc/apt/sources.list"
    printf '%s\n' "Types: deb" "URIs: $(debian_mirror)" "Suites: bookworm bookworm-updates" "Components: main" \
      "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg" "" \
      "Types: deb" "URIs: $(security_mirror)" "Suites: bookworm-security" "Components: main" \
      "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg" >"$rootfs/etc/apt/sources.list.d/debian.sources"
    # What the slim image leaves out: apt's package lists and caches.
    rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin
    tar -C "$rootfs" -c . | podman import --quiet - "$LOCAL_BASE" >/dev/null
    rm -rf "$rootfs"
    trap - EXIT
  fi
fi

echo "== static/vendor (npm packages) and the image $IMAGE from $BASE_IMAGE"
make --no-print-directory assets >/dev/null
podman build --network host --format docker --layers \
  --build-arg "BASE_IMAGE=$BASE_IMAGE" \
  --volume "$CA_BUNDLE:/run/host-ca.crt:ro" \
  --tag "$IMAGE" --file Containerfile .
