#!/usr/bin/env bash
# Makes the base image of Parley's container image on this machine, from Debian's packages alone (no container
# registry is needed): Debian 12 "bookworm", the minimal variant (what debian:bookworm-slim is made of), trimmed of
# documentation, manual pages and package lists, with the unprivileged user the server runs as.
#
#   deploy/image/make-base.sh [IMAGE]          default IMAGE: localhost/parley-base:bookworm
#
# Needs root (debootstrap and chroot), debootstrap and buildah (apt-get install -y debootstrap buildah).
# DEBIAN_MIRROR picks the mirror (default: debootstrap's own); STORAGE_DRIVER the containers' storage driver
# (default vfs, which works everywhere, including inside other containers).
set -euo pipefail

IMAGE=${1:-localhost/parley-base:bookworm}
STORAGE_DRIVER=${STORAGE_DRIVER:-vfs}
# Explicit on every call: buildah and podman may each default to another driver, and would not see each other's
# images.
bah() {
    buildah --storage-driver "$STORAGE_DRIVER" "$@"
}
# The server's user and group; the data folder it owns, kept 0700 like every folder holding secrets.
PARLEY_UID=10001
DATA_DIR=/var/lib/parley

if [ "$(id -u)" -ne 0 ]; then
    echo "make-base.sh needs root (debootstrap, chroot)" >&2
    exit 1
fi
for tool in debootstrap buildah; do
    command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install -y debootstrap buildah" >&2; exit 1; }
done

work=$(mktemp -d /var/tmp/parley-base.XXXXXX)
container=""
cleanup() {
    [ -n "$container" ] && bah rm "$container" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
rootfs=$work/rootfs

echo "== debootstrap --variant=minbase bookworm"
# shellcheck disable=SC2086 # the mirror is optional
debootstrap --variant=minbase bookworm "$rootfs" ${DEBIAN_MIRROR:-} >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; exit 1; }

echo "== user parley ($PARLEY_UID), $DATA_DIR"
chroot "$rootfs" groupadd --gid "$PARLEY_UID" parley
chroot "$rootfs" useradd --uid "$PARLEY_UID" --gid parley --home-dir "$DATA_DIR" --no-create-home \
    --shell /usr/sbin/nologin parley
install -d -o "$PARLEY_UID" -g "$PARLEY_UID" -m 0700 "$rootfs$DATA_DIR"

echo "== trim"
# As the slim images do: nothing here is read at run time. Keep dpkg's and apt's state, so the image can be
# extended with apt-get like any Debian image.
rm -rf "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* \
    "$rootfs"/usr/share/locale/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin \
    "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/log/* "$rootfs"/tmp/*
# Reproducible-ish: no machine id, no hostname of this machine.
: >"$rootfs/etc/machine-id"
echo parley >"$rootfs/etc/hostname"

echo "== import as $IMAGE"
container=$(bah from scratch)
mnt=$(bah mount "$container")
tar -C "$rootfs" -cf - . | tar -C "$mnt" -xpf -
bah umount "$container" >/dev/null
bah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --label org.opencontainers.image.description="Debian 12 minbase made by debootstrap, with user parley" \
    --label org.opencontainers.image.base.name=debian:bookworm-minbase \
    "$container"
bah commit --quiet --rm "$container" "$IMAGE" >/dev/null
container=""
echo "== $IMAGE: $(bah images --format '{{.Size}}' "$IMAGE")"
