#!/usr/bin/env bash
# Run the pinned Claude Code CLI's `claude doctor` against a managed settings folder,
# as if DIR were /etc/claude-code, without touching this machine's /etc or network:
#   - private mount namespace: /etc gets a throw-away overlay (so /etc/claude-code can
#     exist there), and DIR is bind-mounted read-only on /etc/claude-code
#   - private network namespace with only loopback: nothing can leave the machine
#   - empty temporary HOME, clean environment, no terminal, a timeout
# Prints the report with ANSI codes stripped; exits with doctor's status.
# Usage: scripts/claude-doctor.sh DIR [NAME=VALUE...]   (NAME=VALUE: extra environment
# for the CLI, e.g. to show that the managed env block wins over the shell's)
# Exit 77 when the CLI is unavailable (see scripts/bootstrap.sh), 2 on bad usage.
# Env: CLAUDE_CLI_DIR (default .cache/claude-cli), CLAUDE_DOCTOR_TIMEOUT (default 60 s),
#      CLAUDE_RUN_ARGS (default "doctor"): the CLI's arguments instead, e.g. "-p hello"; words are
#      split on blanks.
#      CLAUDE_RUN_WRAPPER (default none): a command put in front of the CLI inside the namespaces,
#      words split on blanks, e.g. "python3 extensions/molecule/shared/files/offline_probe.py --port 8765 --"
#      (the network watch of tests/integration/test_network_watch.py). With a wrapper,
#      /etc/resolv.conf is an empty file of the namespace's own /etc, so a wrapper that points it
#      at its own DNS stub writes nothing outside the namespace.
#      CLAUDE_RUN_AS (default none: root): UID:GID, run the CLI as that account (setpriv, no
#      supplementary groups; the wrapper, if any, stays root), with the temporary HOME its own:
#      root reads files an ordinary account cannot (tests/integration/test_cli_oracle.py).
#      CLAUDE_RUN_RW=1: leave /etc/claude-code writable (default: read-only), so that what an
#      account may change there is what it may change on a host.
set -euo pipefail

# Inside the namespaces: the script runs itself there with --inside-namespaces (below). /etc is
# shadowed by an overlay whose writable layer is in WORK; where overlayfs is not available, by a
# tmpfs copy of /etc.
inner() {
    local dir=$1 work=$2 bin=$3 timeout=$4 args=$5 wrapper=$6 runas=$7 rw=$8
    shift 8
    ip link set lo up
    if ! mount -t overlay overlay \
        -o "lowerdir=/etc,upperdir=$work/upper,workdir=$work/work" /etc 2>/dev/null; then
        mount -t tmpfs tmpfs "$work/etc-copy"
        cp -a /etc/. "$work/etc-copy/"
        mount --bind "$work/etc-copy" /etc
    fi
    mkdir -p /etc/claude-code
    mount --bind "$dir" /etc/claude-code
    [ "$rw" = 1 ] || mount -o remount,bind,ro /etc/claude-code
    local argv wrap=() as=()
    if [ -n "$runas" ]; then
        as=(setpriv --reuid="${runas%%:*}" --regid="${runas##*:}" --clear-groups)
    fi
    read -r -a argv <<<"$args"
    if [ -n "$wrapper" ]; then
        read -r -a wrap <<<"$wrapper"
        # /etc is this namespace's overlay (or copy) by now: replacing the file, even a link,
        # changes nothing outside. Refuse if it is not.
        mountpoint -q /etc || { echo "claude-doctor.sh: no private /etc in the namespace" >&2; exit 70; }
        rm -f /etc/resolv.conf
        : >/etc/resolv.conf
    fi
    cd "$work/home"
    exec env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$work/home" TERM=dumb LANG=C.UTF-8 \
        "$@" "${wrap[@]}" "${as[@]}" timeout --kill-after=5 "$timeout" "$bin" "${argv[@]}" </dev/null
}

if [ "${1:-}" = "--inside-namespaces" ]; then
    shift
    set +e
    inner "$@"
    exit $?
fi

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CLI_DIR=${CLAUDE_CLI_DIR:-$ROOT/.cache/claude-cli}
TIMEOUT=${CLAUDE_DOCTOR_TIMEOUT:-60}

if [ $# -lt 1 ] || [ ! -d "$1" ]; then
    echo "usage: $0 DIR [NAME=VALUE...]  (DIR holds managed-settings.json)" >&2
    exit 2
fi
DIR=$(cd "$1" && pwd)
shift
for kv in "$@"; do
    [[ "$kv" =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || { echo "not NAME=VALUE: $kv" >&2; exit 2; }
done
RUN_AS=${CLAUDE_RUN_AS:-}
if [ -n "$RUN_AS" ] && ! [[ "$RUN_AS" =~ ^[0-9]+:[0-9]+$ ]]; then
    echo "CLAUDE_RUN_AS is not UID:GID: $RUN_AS" >&2
    exit 2
fi

if [ -f "$CLI_DIR/UNAVAILABLE" ]; then
    echo "Claude Code CLI unavailable: $(cat "$CLI_DIR/UNAVAILABLE")" >&2
    exit 77
fi
if [ ! -x "$CLI_DIR/bin/claude" ]; then
    echo "Claude Code CLI unavailable: $CLI_DIR/bin/claude missing (run scripts/bootstrap.sh)" >&2
    exit 77
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "claude-doctor.sh needs root (mount and network namespaces)" >&2
    exit 77
fi
BIN=$(readlink -f "$CLI_DIR/bin/claude")

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/home" "$WORK/upper" "$WORK/work" "$WORK/etc-copy"
if [ -n "$RUN_AS" ]; then
    chmod 711 "$WORK"
    chown "$RUN_AS" "$WORK/home"
fi

set +e
unshare --mount --propagation private --net -- \
    bash "${BASH_SOURCE[0]}" --inside-namespaces "$DIR" "$WORK" "$BIN" "$TIMEOUT" "${CLAUDE_RUN_ARGS:-doctor}" \
    "${CLAUDE_RUN_WRAPPER:-}" "$RUN_AS" "${CLAUDE_RUN_RW:-0}" "$@" \
    2>&1 | sed -e 's/\x1b\[[0-9;?]*[ -\/]*[@-~]//g' -e 's/\x1b[()][A-Za-z0-9]//g' -e 's/\r$//'
rc=${PIPESTATUS[0]}
[ "$rc" -eq 124 ] && echo "claude doctor timed out after ${TIMEOUT}s" >&2
exit "$rc"
