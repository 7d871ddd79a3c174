#!/usr/bin/env bash
# make demo: the main job on a local fleet, end to end, with only what it needs.
#   1. setup (run as root): the Debian packages in scripts/bootstrap.sh APT_DEMO_PACKAGES (apt-get,
#      only those missing), .cache/demo/venv (ansible-core alone) and, at the same time, a small
#      Debian image (scripts/build-images.sh --demo: debootstrap, python3 and sshd); both are kept
#      for the next run
#   2. one podman container per host of playbooks/inventory/example, without a network
#   3. the rollout (fleetpolicy.claude_code.rollout)
#   4. another tool's drop-in on one host turns telemetry back on
#   5. the drift run (fleetpolicy.claude_code.drift) finds that host weakened and the others
#      compliant, and writes its report under reports/ (reports/claude-code-drift.html, the latest;
#      each run's own in reports/<UTC time>/)
# Ansible reaches the hosts the way it reaches a real fleet, with its ssh connection (pipelining,
# one multiplexed connection per host), carried by `podman exec -i HOST sshd -i`: no network, no
# collection besides this one. Keys: .cache/demo/ssh (made once; the host key is the same for
# every demo host and is checked).
# The containers are removed at the end; KEEP=1 keeps them (podman exec -it fleetpolicy-demo-HOST bash).
# Arguments are passed to both ansible-playbook runs (e.g. -v). DEMO_TIMES=1 prints the seconds
# elapsed at each step (docs/performance.md, "Demo").
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
IMAGE=${IMAGE:-localhost/fleetpolicy-claude-demo:bookworm}
DEMO=$ROOT/.cache/demo
INV=playbooks/inventory/example
# The host whose telemetry another tool turns back on, and how: Claude Code reads any non-empty
# DISABLE_TELEMETRY as set, "0" too (plugins/plugin_utils/policy/_facts.py, NONEMPTY_SWITCHES),
# so the drop-in empties it. fin-laptop-01's policy (enterprise_zdr, private) turns telemetry off
# with DISABLE_TELEMETRY alone.
WEAKENED=fin-laptop-01
DROPIN=/etc/claude-code/managed-settings.d/50-vendor.json
export CONTAINERS_CONF=$ROOT/tests/containers.conf
export ANSIBLE_COLLECTIONS_PATH=$ROOT/.cache/collections
export ANSIBLE_STDOUT_CALLBACK=default ANSIBLE_FORCE_COLOR=${ANSIBLE_FORCE_COLOR:-0} ANSIBLE_RETRY_FILES_ENABLED=False

say() { printf '\n== %s\n' "$*"; [ -z "${DEMO_TIMES:-}" ] || echo "   [t=$SECONDS s]"; }

if [ "$(id -u)" -ne 0 ]; then
    echo "make demo needs root: it installs Debian packages with apt-get when missing and runs rootful podman" >&2
    exit 1
fi

say "setup: Debian packages, .cache/demo/venv and the image $IMAGE (kept for the next run)"
mkdir -p "$DEMO"
scripts/bootstrap.sh demo-apt collections
scripts/bootstrap.sh demo-venv >"$DEMO/setup-venv.log" 2>&1 &
venv_pid=$!
scripts/build-images.sh --demo >"$DEMO/setup-image.log" 2>&1 &
image_pid=$!
failed=0
wait "$venv_pid" || { failed=1; cat "$DEMO/setup-venv.log" >&2; }
wait "$image_pid" || { failed=1; cat "$DEMO/setup-image.log" >&2; }
[ "$failed" = 0 ] || exit 1
sed 's/^/   /' "$DEMO/setup-venv.log" "$DEMO/setup-image.log"
SETUP=$SECONDS
PYTHON=$DEMO/venv/bin/python
PLAYBOOK=$DEMO/venv/bin/ansible-playbook

# The keys: the controller's (root@ on every host) and the hosts' (one for all of them, known to
# the controller under the demo hosts' names).
KEYS=$DEMO/ssh
if [ ! -f "$KEYS/known_hosts" ]; then
    rm -rf "$KEYS" && mkdir -p "$KEYS"
    ssh-keygen -q -t ed25519 -N '' -C fleetpolicy-demo-controller -f "$KEYS/id_ed25519"
    ssh-keygen -q -t ed25519 -N '' -C fleetpolicy-demo-host -f "$KEYS/ssh_host_ed25519_key"
    printf 'fleetpolicy-demo-* %s\n' "$(cut -d' ' -f1,2 "$KEYS/ssh_host_ed25519_key.pub")" >"$KEYS/known_hosts"
fi

# The example inventory's hosts (read with PyYAML, which ansible-core brings: quicker than ansible-inventory).
HOSTS=$("$PYTHON" - "$INV/hosts.yml" <<'EOF'
import sys, yaml
def hosts(group):
    yield from (group or {}).get("hosts") or {}
    for child in ((group or {}).get("children") or {}).values():
        yield from hosts(child)
print(" ".join(sorted(set(hosts(yaml.safe_load(open(sys.argv[1]))["all"])))))
EOF
)
OVERLAY=$DEMO/hosts.yml
{
    echo "all:"
    echo "  vars:"
    echo "    ansible_connection: ssh"
    echo "    ansible_user: root"
    echo "    ansible_python_interpreter: /usr/bin/python3"
    echo "    ansible_ssh_pipelining: true"
    echo "    ansible_ssh_private_key_file: $KEYS/id_ed25519"
    echo "    ansible_ssh_common_args: >-"
    echo "      -o UserKnownHostsFile=$KEYS/known_hosts -o StrictHostKeyChecking=yes"
    echo "      -o \"ProxyCommand=podman exec -i %h /usr/sbin/sshd -i -o LogLevel=ERROR\""
    echo "  hosts:"
    for h in $HOSTS; do echo "    $h: {ansible_host: fleetpolicy-demo-$h}"; done
} >"$OVERLAY"

cleanup() {
    if [ "${KEEP:-0}" = 1 ]; then
        say "KEEP=1: the hosts keep running (podman exec -it fleetpolicy-demo-$WEAKENED bash; podman rm -f fleetpolicy-demo-...)"
        return
    fi
    for h in $HOSTS; do podman rm -f -t 0 "fleetpolicy-demo-$h" >/dev/null 2>&1 & done
    wait
}
trap cleanup EXIT

say "starting ${HOSTS// /, } as containers of $IMAGE (network: none)"
for h in $HOSTS; do
    (
        podman rm -f -t 0 "fleetpolicy-demo-$h" >/dev/null 2>&1 || true
        podman run -d --name "fleetpolicy-demo-$h" --hostname "$h" --network none \
            -v "$KEYS/id_ed25519.pub:/root/.ssh/authorized_keys:ro" \
            -v "$KEYS/ssh_host_ed25519_key:/etc/ssh/ssh_host_ed25519_key:ro" \
            "$IMAGE" sh -c 'mkdir -p /run/sshd && exec sleep infinity' >/dev/null
    ) &
done
wait

say "rollout: ansible-playbook -i $INV fleetpolicy.claude_code.rollout"
"$PLAYBOOK" -i "$INV" -i "$OVERLAY" fleetpolicy.claude_code.rollout "$@"
echo "   (the demo's hosts have no Claude Code CLI, hence \"Claude Code CLI: not found\": the settings are in"
echo "   place for when it is installed; docs/install.md)"

say "another tool writes $DROPIN on $WEAKENED, turning telemetry back on:"
printf '{"env": {"DISABLE_TELEMETRY": ""}}\n' \
    | podman exec -i "fleetpolicy-demo-$WEAKENED" sh -c "mkdir -p ${DROPIN%/*} && cat > $DROPIN && cat $DROPIN"

say "drift: ansible-playbook -i $INV fleetpolicy.claude_code.drift (check mode: nothing is written to a host)"
rc=0
"$PLAYBOOK" -i "$INV" -i "$OVERLAY" fleetpolicy.claude_code.drift "$@" || rc=$?
# The run must exit 2 (a host is not compliant) and find exactly that host weakened.
"$PYTHON" - "$rc" "$WEAKENED" "$ROOT/reports/claude-code-drift.json" <<'EOF'
import json, sys
rc, weakened, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with open(path) as handle:
    status = {h["host"]: h["status"] for h in json.load(handle)["hosts"]}
want = {h: ("weakened" if h == weakened else "compliant") for h in status}
if rc != 2 or status != want:
    sys.exit(f"FAIL: the drift run exited {rc} (2 expected) with statuses {status} (expected {want})")
EOF

say "done in $SECONDS s (setup $SETUP s): the drift run found $WEAKENED weakened (exit code 2) and the other hosts compliant. The report:"
echo "   $ROOT/reports/claude-code-drift.html   (open it in a browser; .md, .json and .junit.xml beside it;"
echo "   each run's own are kept in reports/<UTC time>/)"
