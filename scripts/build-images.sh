#!/usr/bin/env bash
# Build the local test image, or the demo's, from nothing (no registry is needed or used):
# debootstrap a minimal Debian into .cache/, then `podman import` it.
# Skips the build when the image exists and its label records the same recipe hash.
# Usage: scripts/build-images.sh [--force] [--demo]
#   --demo  the image of make demo (scripts/demo.sh): minbase, python3 and sshd, nothing else
# Env: IMAGE (default localhost/fleetpolicy-claude-test:bookworm, with --demo
# localhost/fleetpolicy-claude-demo:bookworm), MIRROR (default: this machine's Debian mirror
# from /etc/apt), KEEP_ROOTFS=1 keeps the debootstrap dir.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
: "${CONTAINERS_CONF:=$ROOT/tests/containers.conf}"
export CONTAINERS_CONF

FORCE=0 DEMO=0
for arg in "$@"; do
    case "$arg" in
        --force) FORCE=1 ;;
        --demo) DEMO=1 ;;
        *) printf 'build-images: unknown argument %s (--force, --demo)\n' "$arg" >&2; exit 2 ;;
    esac
done
SUITE=bookworm
if [ "$DEMO" = 1 ]; then
    IMAGE=${IMAGE:-localhost/fleetpolicy-claude-demo:bookworm}
    # The demo's hosts run Ansible modules (python3) and are reached with ssh through `podman exec
    # sshd -i` (openssh-server; no network). No CLI, no shells to test (the role writes their rc
    # files all the same). Host keys are removed below: scripts/demo.sh gives each host one.
    INCLUDE="python3,openssh-server"
    PROBE='python3 --version && test -x /usr/sbin/sshd'
else
    IMAGE=${IMAGE:-localhost/fleetpolicy-claude-test:bookworm}
    # Packages in the image besides minbase:
    #   python3: ansible modules; bash dash zsh fish: the shells whose rc files the roles write
    #   ca-certificates: the CLI's TLS trust; procps: testinfra's process checks (ps)
    #   sudo acl: become to an unprivileged user; jq: JSON checks in shell tests
    #   strace: the Molecule airgapped scenario logs the CLI's connect() calls
    #   openssh-server: the fleet benchmark's SSH hosts (make bench; never started by the tests).
    #   Its host keys are removed below: each benchmark host is given one when it starts.
    INCLUDE="python3,bash,dash,zsh,fish,ca-certificates,procps,sudo,acl,jq,strace,openssh-server"
    PROBE='python3 --version && zsh --version && fish --version && test -x /usr/sbin/sshd'
fi
LABEL=org.fleetpolicy.recipe

log() { printf 'build-images: %s\n' "$*" >&2; }

# shellcheck source=scripts/debootstrap-lib.sh
. "$ROOT/scripts/debootstrap-lib.sh"
MIRROR=${MIRROR:-$(default_mirror)}

# Image config set at import. STOPSIGNAL SIGKILL: the test containers' PID 1 (sleep,
# or molecule's bash loop) ignores SIGTERM, so a plain stop would wait 10 s for nothing.
CHANGES=(
    "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    "ENV LANG=C.UTF-8"
    "STOPSIGNAL SIGKILL"
    'CMD ["/bin/bash"]'
)
# The recipe: what changes the image. The mirror is left out on purpose.
RECIPE=$(printf '%s\n' "$SUITE" "$INCLUDE" "${CHANGES[@]}" | sha256sum | cut -c1-16)

for tool in podman debootstrap; do
    command -v "$tool" >/dev/null || { log "$tool not found: run scripts/bootstrap.sh"; exit 1; }
done

mkdir -p "$ROOT/.cache"
exec 9>"$ROOT/.cache/build-images.lock"
flock 9

have=$(podman image inspect --format "{{ index .Labels \"$LABEL\" }}" "$IMAGE" 2>/dev/null || true)
if [ "$FORCE" != 1 ] && [ "$have" = "$RECIPE" ]; then
    log "$IMAGE is up to date (recipe $RECIPE)"
    exit 0
fi

ROOTFS="$ROOT/.cache/rootfs-$SUITE-$RECIPE"
cleanup() {
    # debootstrap mounts proc/sys inside the target; never delete through a mount.
    findmnt -rno TARGET | grep -F "$ROOTFS/" | sort -r | xargs -r -n1 umount -l || true
    [ "${KEEP_ROOTFS:-0}" = 1 ] || rm -rf --one-file-system "$ROOTFS"
}
trap cleanup EXIT

if [ ! -f "$ROOTFS/.complete" ]; then
    rm -rf --one-file-system "$ROOTFS"
    log "debootstrap $SUITE from $MIRROR (about a minute)"
    if ! debootstrap_root "$SUITE" "$ROOTFS" "$INCLUDE" "$ROOT/.cache/debootstrap.log"; then
        log "debootstrap failed (log: .cache/debootstrap.log)"
        exit 1
    fi
    # Smaller image, same content: package caches and lists go.
    rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/* \
        "$ROOTFS"/var/log/*.log "$ROOTFS"/debootstrap "$ROOTFS"/etc/ssh/ssh_host_*
    touch "$ROOTFS/.complete"
fi

old_id=$(podman image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)
log "importing $IMAGE"
tar -C "$ROOTFS" --numeric-owner --exclude=./.complete -c . | podman import --quiet \
    --change "LABEL $LABEL=$RECIPE" "${CHANGES[@]/#/--change=}" - "$IMAGE" >/dev/null

# Prove the image starts here before anything relies on it.
if ! out=$(podman run --rm --network none "$IMAGE" bash -c "$PROBE" 2>&1); then
    printf '%s\n' "$out" >&2
    podman rmi -f "$IMAGE" >/dev/null 2>&1 || true
    log "the new image does not run; removed it"
    exit 1
fi
# The image this one replaces, now untagged, goes unless a container still uses it.
if [ -n "$old_id" ]; then podman rmi "$old_id" >/dev/null 2>&1 || true; fi
log "built $IMAGE (recipe $RECIPE): $(printf '%s' "$out" | tr '\n' ';' | sed 's/;/; /g')"
