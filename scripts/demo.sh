#!/usr/bin/env bash
# The main job on a local default fleet: start one podman container per host of the example
# inventory (no network), roll the settings out, roll them out again (nothing changes), print
# per host what was set, then remove the containers (KEEP=1 keeps them).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
IMAGE=${IMAGE:-localhost/fleetpolicy-claude-test:bookworm}
export CONTAINERS_CONF=$ROOT/tests/containers.conf
export ANSIBLE_COLLECTIONS_PATH=$ROOT/.cache/collections
export ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_STDOUT_CALLBACK=default ANSIBLE_FORCE_COLOR=${ANSIBLE_FORCE_COLOR:-0}
INV=playbooks/inventory/example
HOSTS=$(.venv/bin/ansible-inventory -i "$INV" --list | .venv/bin/python -c 'import json,sys; print(" ".join(sorted(json.load(sys.stdin)["_meta"]["hostvars"])))')
OVERLAY=$ROOT/.cache/demo/containers.yml
mkdir -p "$(dirname "$OVERLAY")"

cleanup() {
  if [ "${KEEP:-0}" != 1 ]; then
    for h in $HOSTS; do podman rm -f -t 0 "fleetpolicy-demo-$h" >/dev/null 2>&1 || true; done
  fi
}
trap cleanup EXIT

{
  echo "all:"
  echo "  vars:"
  echo "    ansible_connection: containers.podman.podman"
  echo "    ansible_python_interpreter: /usr/bin/python3"
  echo "  hosts:"
  for h in $HOSTS; do echo "    $h: {ansible_host: fleetpolicy-demo-$h}"; done
} > "$OVERLAY"

echo "== starting ${HOSTS// /, } as containers of $IMAGE (network: none)"
for h in $HOSTS; do
  podman rm -f -t 0 "fleetpolicy-demo-$h" >/dev/null 2>&1 || true
  podman run -d --name "fleetpolicy-demo-$h" --hostname "$h" --network none "$IMAGE" sleep infinity >/dev/null
done

echo "== rollout"
.venv/bin/ansible-playbook -i "$INV" -i "$OVERLAY" fleetpolicy.claude_code.rollout "$@"
echo "== rollout again: every host must report changed=0"
.venv/bin/ansible-playbook -i "$INV" -i "$OVERLAY" fleetpolicy.claude_code.rollout "$@" | tee .cache/demo/second-run.log | sed -n '/PLAY RECAP/,$p'
if grep -E 'changed=[1-9]' .cache/demo/second-run.log >/dev/null; then
  echo "FAIL: the second run changed something" >&2
  exit 1
fi
echo "== what one host now holds (${HOSTS%% *}): /etc/claude-code/managed-settings.json"
podman exec "fleetpolicy-demo-${HOSTS%% *}" cat /etc/claude-code/managed-settings.json
