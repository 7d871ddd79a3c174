#!/usr/bin/env bash
# Build a local image from nothing (no registry is needed or used): debootstrap a minimal Debian
# into .cache/, then `podman import` it. Skips the build when the image exists and its label
# records the same recipe hash.
# Usage: scripts/build-images.sh [--force] [--demo | --systemd]
#   (none)     the test image: Molecule's and the integration tests' hosts, the fleet benchmark's
#   --demo     the image of make demo (scripts/demo.sh): minbase, python3 and sshd, nothing else
#   --systemd  systemd as init, python3, git and a venv with ansible-core:
#              tests/integration/test_pull_mode.py runs it with `--systemd=always --network=none`
#              (the pull role's timer and service under a real systemd; ansible-pull clones a
#              file:// repo)
# Env: IMAGE (default localhost/fleetpolicy-claude-test:bookworm, -demo:bookworm with --demo,
# -systemd:bookworm with --systemd), MIRROR (default: this machine's Debian mirror from /etc/apt),
# KEEP_ROOTFS=1 keeps the debootstrap dir.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
: "${CONTAINERS_CONF:=$ROOT/tests/containers.conf}"
export CONTAINERS_CONF

FORCE=0 KIND=test
for arg in "$@"; do
    case "$arg" in
        --force) FORCE=1 ;;
        --demo) KIND=demo ;;
        --systemd) KIND=systemd ;;
        *) printf 'build-images: unknown argument %s (--force, --demo, --systemd)\n' "$arg" >&2; exit 2 ;;
    esac
done
SUITE=bookworm
# Image config set at import, the environment every image has and the rest. STOPSIGNAL SIGKILL:
# the test containers' PID 1 (sleep, or molecule's bash loop) ignores SIGTERM, so a plain stop
# would wait 10 s for nothing.
ENVIRONMENT=(
    "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    "ENV LANG=C.UTF-8"
)
CHANGES=("${ENVIRONMENT[@]}" "STOPSIGNAL SIGKILL" 'CMD ["/bin/bash"]')
# EXTRA: what else makes the image (in its recipe hash; bump v1 when customize changes). NAME: in
# the names of its root, log and lock. customize: run in the new root before it is imported.
EXTRA=() NAME=
customize() { :; }
if [ "$KIND" = demo ]; then
    IMAGE=${IMAGE:-localhost/fleetpolicy-claude-demo:bookworm}
    # The demo's hosts run Ansible modules (python3) and are reached with ssh through `podman exec
    # sshd -i` (openssh-server; no network). No CLI, no shells to test (the role writes their rc
    # files all the same). Host keys are removed below: scripts/demo.sh gives each host one.
    INCLUDE="python3,openssh-server"
    PROBE='python3 --version && test -x /usr/sbin/sshd'
elif [ "$KIND" = test ]; then
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
elif [ "$KIND" = systemd ]; then
    IMAGE=${IMAGE:-localhost/fleetpolicy-claude-systemd:bookworm}
    NAME=systemd
    # Packages besides minbase:
    #   systemd systemd-sysv: systemd as PID 1 (the units under test), systemd-analyze
    #   python3 python3-venv: ansible's modules, and the venv below; git: ansible-pull's checkout
    #   ca-certificates: TLS trust for pip (below)
    INCLUDE="systemd,systemd-sysv,python3,python3-venv,git,ca-certificates"
    # ansible-core in /opt/ansible: the oldest release the collection allows (meta/runtime.yml), as
    # its quality gates pin it (requirements/core-2.19.txt): the newest that Debian 12's Python 3.11
    # runs (2.20 and later need 3.12), so a pull host on Debian 12 runs the floor while the
    # controller tests run 2.21 (requirements/test.txt). Debian 12's own ansible-core is 2.14, too old.
    ANSIBLE_CORE=$(sed -n 's/^ansible-core==\([0-9.]*\).*/\1/p' "$ROOT/requirements/core-2.19.txt")
    [ -n "$ANSIBLE_CORE" ] || { echo "build-images: no ansible-core pin in requirements/core-2.19.txt" >&2; exit 1; }
    EXTRA=("ansible-core==$ANSIBLE_CORE" v1)
    # systemd stops on SIGRTMIN+3 (podman sets that itself for --systemd=always); the command is systemd.
    CHANGES=("${ENVIRONMENT[@]}" 'CMD ["/lib/systemd/systemd"]')
    PROBE='test -x /lib/systemd/systemd && git --version && /opt/ansible/bin/ansible-pull --version | head -n 1'
    customize() {
        # pip inside the root reaches the package index through this machine's TLS setup: its CA
        # bundle (and pip settings) go in for the install, and out again afterwards.
        cp /etc/ssl/certs/ca-certificates.crt "$ROOTFS/tmp/host-ca.crt"
        log "venv /opt/ansible with ansible-core $ANSIBLE_CORE"
        chroot "$ROOTFS" /usr/bin/env -i PATH=/usr/bin:/bin /usr/bin/python3 -m venv /opt/ansible
        if ! chroot "$ROOTFS" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/root PIP_DISABLE_PIP_VERSION_CHECK=1 \
            PIP_CONFIG_FILE=/dev/null /opt/ansible/bin/pip install -q --no-cache-dir --cert /tmp/host-ca.crt \
            "ansible-core==$ANSIBLE_CORE" >"$ROOT/.cache/pip-systemd.log" 2>&1; then
            tail -n 20 "$ROOT/.cache/pip-systemd.log" >&2
            log "pip install failed (log: .cache/pip-systemd.log)"
            exit 1
        fi
        rm -f "$ROOTFS/tmp/host-ca.crt"
        # A container has no consoles to log in on and no hardware: the units for those only fail.
        for unit in getty.target console-getty.service systemd-udevd.service systemd-udev-trigger.service \
            systemd-networkd-wait-online.service; do
            ln -sf /dev/null "$ROOTFS/etc/systemd/system/$unit"
        done
        : >"$ROOTFS/etc/machine-id"
    }
fi
LABEL=org.fleetpolicy.recipe

log() { printf 'build-images: %s\n' "$*" >&2; }

# shellcheck source=scripts/debootstrap-lib.sh
. "$ROOT/scripts/debootstrap-lib.sh"
MIRROR=${MIRROR:-$(default_mirror)}

# The recipe: what changes the image. The mirror is left out on purpose.
RECIPE=$(printf '%s\n' "$SUITE" "$INCLUDE" "${CHANGES[@]}" "${EXTRA[@]}" | sha256sum | cut -c1-16)

for tool in podman debootstrap; do
    command -v "$tool" >/dev/null || { log "$tool not found: run scripts/bootstrap.sh"; exit 1; }
done

mkdir -p "$ROOT/.cache"
exec 9>"$ROOT/.cache/build-images${NAME:+-$NAME}.lock"
flock 9

have=$(podman image inspect --format "{{ index .Labels \"$LABEL\" }}" "$IMAGE" 2>/dev/null || true)
if [ "$FORCE" != 1 ] && [ "$have" = "$RECIPE" ]; then
    log "$IMAGE is up to date (recipe $RECIPE)"
    exit 0
fi

t0=$SECONDS
ROOTFS="$ROOT/.cache/rootfs-${NAME:+$NAME-}$SUITE-$RECIPE"
cleanup() {
    # debootstrap mounts proc/sys inside the target; never delete through a mount.
    findmnt -rno TARGET | grep -F "$ROOTFS/" | sort -r | xargs -r -n1 umount -l || true
    [ "${KEEP_ROOTFS:-0}" = 1 ] || rm -rf --one-file-system "$ROOTFS"
}
trap cleanup EXIT

if [ ! -f "$ROOTFS/.complete" ]; then
    rm -rf --one-file-system "$ROOTFS"
    log "debootstrap $SUITE from $MIRROR (about a minute)"
    if ! debootstrap_root "$SUITE" "$ROOTFS" "$INCLUDE" "$ROOT/.cache/debootstrap${NAME:+-$NAME}.log"; then
        log "debootstrap failed (log: .cache/debootstrap${NAME:+-$NAME}.log)"
        exit 1
    fi
    customize
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
log "built $IMAGE (recipe $RECIPE) in $((SECONDS - t0))s: $(printf '%s' "$out" | tr '\n' ';' | sed 's/;/; /g')"
