#!/usr/bin/env bash
# A Debian 13 (trixie) root made with debootstrap, for the ansible-core releases this Debian 12
# machine's Python 3.11 cannot run (2.20 and later need Python >= 3.12; trixie has 3.13).
#
#   scripts/debian13-root.sh build          make (or reuse) .cache/rootfs-trixie-<recipe>
#   scripts/debian13-root.sh run CMD...     run CMD as root inside it, in a private mount
#                                           namespace, with this checkout (and its git dir) bind-
#                                           mounted at the same path and the working directory kept
#   scripts/debian13-root.sh path           print the root's path (builds it first)
#
# The root is cached: it is rebuilt only when the recipe below changes (or with --force). It
# holds the host's CA bundle (pip inside needs it on this machine) and a venv at /opt/nox with
# requirements/lint.txt (nox + antsibull-nox), refreshed when that file changes.
# Nothing is mounted outside the namespace; nothing in /etc of the host changes.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SUITE=trixie
#   python3 python3-venv: the interpreter ansible-core 2.20/2.21 run on; git: file lists for the
#   collection copies; shellcheck: ansible-test sanity's shellcheck test; openssh-client:
#   ansible's ssh connection plugin (imported by sanity and units); ca-certificates: /etc/ssl
INCLUDE="python3,python3-venv,git,shellcheck,openssh-client,ca-certificates"
RECIPE=$(printf '%s\n' "$SUITE" "$INCLUDE" v1 | sha256sum | cut -c1-12)
RFS=$ROOT/.cache/rootfs-$SUITE-$RECIPE

log() { printf 'debian13-root: %s\n' "$*" >&2; }

# shellcheck source=scripts/debootstrap-lib.sh
. "$ROOT/scripts/debootstrap-lib.sh"

build() {
    command -v debootstrap >/dev/null || { log "debootstrap not found: run scripts/bootstrap.sh"; exit 1; }
    mkdir -p "$ROOT/.cache"
    exec 8>"$ROOT/.cache/rootfs-$SUITE.lock"
    flock 8
    if [ "${1:-}" = --force ] || [ ! -f "$RFS/.complete" ]; then
        local mirror t0=$SECONDS
        mirror=${MIRROR:-$(default_mirror)}
        rm -rf --one-file-system "$RFS"
        log "debootstrap $SUITE from $mirror into $RFS (about a minute)"
        if ! MIRROR=$mirror debootstrap_root "$SUITE" "$RFS" "$INCLUDE" "$ROOT/.cache/debootstrap-$SUITE.log"; then
            log "debootstrap failed (log: .cache/debootstrap-$SUITE.log)"
            exit 1
        fi
        rm -rf "$RFS"/var/cache/apt/archives/*.deb "$RFS"/var/lib/apt/lists/*
        # Older roots of other recipes go.
        for old in "$ROOT"/.cache/rootfs-"$SUITE"-*; do
            [ "$old" = "$RFS" ] || rm -rf --one-file-system "$old"
        done
        touch "$RFS/.complete"
        log "root ready in $((SECONDS - t0))s"
    fi
    # The host's CA bundle: this machine's package registries are reached through a TLS proxy
    # whose CA only the host bundle carries.
    cp /etc/ssl/certs/ca-certificates.crt "$RFS/etc/ssl/certs/ca-certificates.crt"
    # The host's pip settings (its certificate bundle) apply inside too.
    [ -f /etc/pip.conf ] && cp /etc/pip.conf "$RFS/etc/pip.conf"
    local want
    want=$(sha256sum < "$ROOT/requirements/lint.txt" | cut -d' ' -f1)
    if [ "$(cat "$RFS/opt/nox/.requirements.sha256" 2>/dev/null)" != "$want" ]; then
        log "venv /opt/nox from requirements/lint.txt"
        rm -rf "$RFS/opt/nox"
        cp "$ROOT/requirements/lint.txt" "$RFS/tmp/requirements-lint.txt"
        chroot "$RFS" /usr/bin/env -i PATH=/usr/bin:/bin /usr/bin/python3 -m venv /opt/nox
        chroot "$RFS" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/root PIP_DISABLE_PIP_VERSION_CHECK=1 /opt/nox/bin/pip install -q \
            --cert /etc/ssl/certs/ca-certificates.crt -r /tmp/requirements-lint.txt
        echo "$want" > "$RFS/opt/nox/.requirements.sha256"
    fi
}

run() {
    build >&2
    local git_common
    git_common=$(cd "$ROOT" && realpath "$(git rev-parse --git-common-dir)")
    # A private mount namespace: the bind mounts disappear with the command. The script below is
    # run by the inner bash, which expands its variables (positional arguments).
    # shellcheck disable=SC2016
    exec unshare --mount --propagation private --fork -- bash -euc '
        rfs=$1 root=$2 gitdir=$3 cwd=$4; shift 4
        mount -t proc proc "$rfs/proc"
        mount --rbind /dev "$rfs/dev"
        mount -t tmpfs tmpfs "$rfs/tmp"
        mount -t tmpfs tmpfs "$rfs/dev/shm"
        mkdir -p "$rfs$root" "$rfs$gitdir"
        mount --bind "$root" "$rfs$root"
        case "$gitdir/" in "$root"/*) ;; *) mount --bind "$gitdir" "$rfs$gitdir" ;; esac
        cp /etc/resolv.conf "$rfs/etc/resolv.conf" 2>/dev/null || true
        exec chroot "$rfs" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
            PATH=/opt/nox/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
            PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
            FLEETPOLICY_NOX_ENVDIR="$root/.cache/nox-trixie" \
            bash -c "cd \"\$0\" && exec \"\$@\"" "$cwd" "$@"
    ' debian13-root "$RFS" "$ROOT" "$git_common" "$PWD" "$@"
}

case "${1:-}" in
    build) shift; build "$@" ;;
    run) shift; [ $# -gt 0 ] || { log "run what?"; exit 2; }; run "$@" ;;
    path) build >&2; echo "$RFS" ;;
    *) sed -n '2,14p' "$0" >&2; exit 2 ;;
esac
