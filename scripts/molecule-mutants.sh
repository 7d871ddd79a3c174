#!/usr/bin/env bash
# Proof that the Molecule scenarios can fail: break the collection on purpose, one realistic way
# per scenario, run that scenario on a copy of the working tree, and check that it fails, and
# fails for that reason (the evidence text below must be in its output). On demand, not part of
# make test: `make molecule-mutants` (about 3 minutes here). Exits 1 when a mutant survives or no
# longer applies (the code it breaks has moved: update the mutant).
#
#   scripts/molecule-mutants.sh              every mutant
#   scripts/molecule-mutants.sh NAME...      only these (names: see the table below)
#
# Uses the scenarios' fixed instance names: do not run it alongside `make molecule`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH=$ROOT/.venv/bin:$PATH
export CONTAINERS_CONF=${CONTAINERS_CONF:-$ROOT/tests/containers.conf}
export NO_COLOR=1 PY_COLORS=0 ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0
# one line per result, so that the evidence is never split by line wrapping
export ANSIBLE_CALLBACK_RESULT_FORMAT=json
# the pinned Claude Code version the scenarios install (as the Makefile exports it)
FLEETPOLICY_CLI_VERSION=$(python3 -c 'import json; print(json.load(open("meta/cli_versions.json"))["pinned"])')
export FLEETPOLICY_CLI_VERSION
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fleetpolicy-mutants.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# name | scenario | file | sed script that breaks it | evidence the failing run must print
MUTANTS=(
  "profile-ignored|default|roles/settings/tasks/main.yml|s/^    profile: .*/    profile: standard/|test_managed_file_is_what_the_filters_compute\[fpc-default-zdr\] FAILED"
  "airgapped-keeps-nonessential|airgapped|plugins/plugin_utils/policy/_facts.py|/\"airgapped\": (/,/),/{/\"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC\",/d}|host names looked up: \['api.anthropic.com'\]"
  "check-mode-writes|drift|plugins/modules/managed_settings.py|s/^            if not module.check_mode:$/            if True:  # mutant: writes in check mode/|\"?assertion\"?: \"?drift_after.stdout == drift_before.stdout"
  "role-needs-network|golden_image|roles/settings/tasks/main.yml|\$a\\\\n- name: Check that the model endpoint answers (mutant)\\n  ansible.builtin.uri:\\n    url: http://192.0.2.1/\\n    timeout: 5|Network is unreachable"
)

if [ -e "$ROOT/.cache/claude-cli/UNAVAILABLE" ]; then
  # The airgapped evidence comes from the real CLI; without it, the check that does not need it.
  MUTANTS[1]="${MUTANTS[1]%|*}|test_profile_and_provider_promises_hold\[fpc-airgapped\] FAILED"
  echo "molecule-mutants: real Claude Code CLI unavailable ($(cat "$ROOT/.cache/claude-cli/UNAVAILABLE")): airgapped is judged without it"
fi

# copy_of NAME: the working tree (tracked, and untracked but not ignored files) in a repository of
# its own, with the collection link and the pinned CLI that Molecule's config expects in .cache/.
copy_of() {
  local dest=$WORK/$1
  mkdir -p "$dest/.cache/collections/ansible_collections/fleetpolicy"
  git ls-files -z --cached --others --exclude-standard -- . ':!:.cache' ':!:.venv' |
    while IFS= read -r -d '' f; do if [ -e "$f" ]; then printf '%s\0' "$f"; fi; done |
    tar --null -T - -cf - | tar -xf - -C "$dest"
  # Molecule finds .config/molecule/config.yml at the root of the repository it runs in.
  git -C "$dest" init -q
  ln -s "$dest" "$dest/.cache/collections/ansible_collections/fleetpolicy/claude_code"
  ln -s "$ROOT/.cache/claude-cli" "$dest/.cache/claude-cli"
  printf '%s\n' "$dest"
}

survived=0
REPORT=()
for mutant in "${MUTANTS[@]}"; do
  IFS='|' read -r name scenario file script evidence <<<"$mutant"
  if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
  copy=$(copy_of "$name")
  sed -i -e "$script" "$copy/$file"
  if cmp -s "$file" "$copy/$file"; then
    REPORT+=("$(printf '%-30s %-13s STALE: the sed script no longer changes %s' "$name" "$scenario" "$file")")
    survived=$((survived + 1))
    continue
  fi
  echo "== $name: $scenario with $file broken:"
  diff "$file" "$copy/$file" | sed 's/^/   /' || true
  log=$WORK/$name.log
  start=$SECONDS
  rc=0
  (cd "$copy" && molecule test -s "$scenario") >"$log" 2>&1 || rc=$?
  took=$((SECONDS - start))
  if [ "$rc" -ne 0 ] && grep -qE -- "$evidence" "$log"; then
    REPORT+=("$(printf '%-30s %-13s caught (rc=%d, %ds): %s' "$name" "$scenario" "$rc" "$took" "$(grep -m1 -oE -- "$evidence" "$log")")")
  else
    cp "$log" "$ROOT/.cache/molecule-mutant-$name.log"
    REPORT+=("$(printf '%-30s %-13s SURVIVED (rc=%d, %ds): evidence not found; log: .cache/molecule-mutant-%s.log' "$name" "$scenario" "$rc" "$took" "$name")")
    survived=$((survived + 1))
  fi
done

echo
echo "== molecule-mutants: each scenario with the collection broken on purpose"
printf '%s\n' "${REPORT[@]}"
if [ "$survived" -ne 0 ]; then
  echo "molecule-mutants: $survived mutant(s) not caught" >&2
  exit 1
fi
