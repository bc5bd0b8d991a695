# Sourced by scripts/image.sh and scripts/image_test.py's shell steps: podman settings that work on a Debian host
# without systemd and with hybrid cgroups (runc, cgroupfs, no default ulimits). An operator's own CONTAINERS_CONF wins.
if [ -z "${CONTAINERS_CONF:-}" ]; then
  CONTAINERS_CONF="$(pwd)/scripts/container/containers.conf"
  export CONTAINERS_CONF
fi
command -v podman >/dev/null || { echo "podman is missing (apt-get install podman runc)" >&2; exit 1; }
