#!/usr/bin/env bash
# Quality gates of the Ansible ecosystem, all of them, with nothing switched off:
#   ansible-lint --profile production, ansible-test sanity + units on every ansible-core release
#   meta/runtime.yml allows (nox), antsibull-changelog lint, antsibull-docs lint, ansible-doc of
#   every module/filter/role, ansible-galaxy build -> galaxy-importer -> install into a clean path
#   -> ansible-playbook fleetpolicy.claude_code.rollout against a local target in a temp dir,
#   and ansible-builder create for the execution environment.
#
# Tools live in .cache/lint-venv (pinned in requirements-lint.txt), apart from the test venv.
# The checks run on a copy of the working tree (tracked and untracked-but-not-ignored files)
# at .cache/lint/ansible_collections/fleetpolicy/claude_code, the layout ansible-test needs.
#
#   scripts/lint.sh                      run every gate
#   scripts/lint.sh GATE...              run only these gates: nothing-off ansible-lint changelog
#                                        docs galaxy install rollout ee ansible-test
#   UPDATE_CHANGELOG=1 scripts/lint.sh   first refresh changelogs/changelog.yaml and CHANGELOG.md
#                                        in the working tree (new modules/plugins/roles), then run
set -euo pipefail
GATES=" ${*:-nothing-off ansible-lint changelog docs galaxy install rollout ee ansible-test} "
gate() { [[ $GATES == *" $1 "* ]]; }
# The Makefile exports a collections path pointing at this checkout; the gates choose their own.
unset ANSIBLE_COLLECTIONS_PATH ANSIBLE_COLLECTIONS_PATHS ANSIBLE_CONFIG
cd "$(dirname "$0")/.."
ROOT=$PWD
CACHE=$ROOT/.cache
VENV=$CACHE/lint-venv
WORK=$CACHE/lint
COLL=$WORK/ansible_collections/fleetpolicy/claude_code
AT_WORK=$CACHE/lint-ansible-test
AT_COLL=$AT_WORK/ansible_collections/fleetpolicy/claude_code
PY=${PYTHON:-python3}
export PIP_DISABLE_PIP_VERSION_CHECK=1 ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 PY_COLORS=0 NO_COLOR=1

T0=$SECONDS
TIMINGS=()
step() {
  STEP_NAME=$1
  STEP_T0=$SECONDS
  echo
  echo "== $STEP_NAME"
}
done_step() {
  TIMINGS+=("$(printf '%4ss  %s' $((SECONDS - STEP_T0)) "$STEP_NAME")")
}
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
on_exit() {
  local rc=$?
  if [ -n "${AT_PID:-}" ]; then kill -- "-$AT_PID" 2>/dev/null || true; fi
  if [ "$rc" -ne 0 ]; then
    printf '%s\n' "${TIMINGS[@]}" >&2
    echo "lint.sh: FAILED in step: ${STEP_NAME:-setup} (exit $rc)" >&2
  fi
}
trap on_exit EXIT

# One run at a time: a second run would delete the checkout the first one is testing.
mkdir -p "$CACHE"
exec 9>"$CACHE/lint.lock"
if ! flock -n 9; then
  echo "lint.sh: waiting for another lint.sh run to finish"
  flock 9
fi

# ---------------------------------------------------------------------------------------- tools
step "tools: $VENV from requirements-lint.txt"
want=$(sha256sum requirements-lint.txt | cut -d' ' -f1)
if [ ! -x "$VENV/bin/ansible-lint" ] || [ "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" != "$want" ]; then
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install -q -r requirements-lint.txt
  echo "$want" > "$VENV/.requirements.sha256"
fi
export PATH=$VENV/bin:$PATH
if ! command -v shellcheck >/dev/null 2>&1; then
  # ansible-test's shellcheck sanity test skips itself without the program; install it.
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null 2>&1 ||
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null; }
  fi
  command -v shellcheck >/dev/null 2>&1 || fail "shellcheck is needed by ansible-test sanity (apt-get install shellcheck)"
fi
ansible --version | sed -n 1p
done_step

# ------------------------------------------------------------------------------------- checkout
step "checkout: working tree -> $COLL"
# copy_tree DIR: the working tree's files (tracked, and untracked but not ignored) into DIR, as
# a git repository of its own: ansible-test, ansible-lint and antsibull-changelog list files with
# git when they find a repository, and would otherwise walk up to this checkout's, where .cache/
# is ignored.
copy_tree() {
  mkdir -p "$1"
  git ls-files -z --cached --others --exclude-standard -- . ':!:.cache' ':!:.venv' |
    while IFS= read -r -d '' f; do if [ -e "$f" ]; then printf '%s\0' "$f"; fi; done |
    tar --null -T - -cf - | tar -xf - -C "$1"
  git -C "$1" init -q
  printf 'tests/output/\n.ansible/\n/dist/\n/changelogs/.plugin-cache.yaml\n' >> "$1/.git/info/exclude"
  git -C "$1" add -A
}
if [ "${UPDATE_CHANGELOG:-0}" = 1 ]; then
  # Remake the release in a collection-shaped copy, then bring the generated files back.
  tmp=$(mktemp -d)
  copy_tree "$tmp/ansible_collections/fleetpolicy/claude_code"
  (cd "$tmp/ansible_collections/fleetpolicy/claude_code" && python "$ROOT/scripts/changelog_check.py" update)
  # Fragments the release consumed go from the working tree too.
  for f in changelogs/fragments/*.y*ml; do
    if [ -e "$f" ] && [ ! -e "$tmp/ansible_collections/fleetpolicy/claude_code/$f" ]; then rm -f "$f"; echo "consumed $f"; fi
  done
  cp "$tmp/ansible_collections/fleetpolicy/claude_code/changelogs/changelog.yaml" changelogs/changelog.yaml
  cp "$tmp/ansible_collections/fleetpolicy/claude_code/CHANGELOG.md" CHANGELOG.md
  rm -rf "$tmp"
  echo "updated changelogs/changelog.yaml and CHANGELOG.md"
fi
rm -rf "$WORK" "$AT_WORK"
copy_tree "$COLL"
echo "$(git -C "$COLL" ls-files | wc -l) files"
done_step

# ansible-test runs in the background on a copy of its own (it writes tests/output/, and the
# gates below touch changelogs/ in theirs), while the other gates run here.
AT_PID=
if gate ansible-test; then
  copy_tree "$AT_COLL"
  AT_T0=$SECONDS
  # setsid: its own process group, so a failing gate here can stop all of it.
  (cd "$ROOT" && FLEETPOLICY_CHECKOUT=$AT_COLL exec setsid nox --no-color) > "$AT_WORK/nox.log" 2>&1 &
  AT_PID=$!
  echo "ansible-test (nox, ansible-core 2.18 and 2.19) started in the background: $AT_WORK/nox.log"
fi

# ----------------------------------------------------------------------------- nothing skipped
cd "$COLL"
version=$(python -c 'import yaml; print(yaml.safe_load(open("galaxy.yml"))["version"])')
if gate nothing-off; then
  step "nothing switched off: no skip_list/warn_list, # noqa, .ansible-lint-ignore, sanity ignore files"
  offenders=$( {
    git ls-files | grep -E '(^|/)\.ansible-lint-ignore$|(^|/)\.config/ansible-lint-ignore\.txt$|^tests/sanity/ignore-[^/]*\.txt$' || true
    git ls-files -z | xargs -0 grep -lE '#[[:space:]]*noqa' 2>/dev/null | grep -E '\.(ya?ml|j2|py)$|(^|/)(hosts|inventory)$' || true
    # The one skip allowed: var-naming[no-role-prefix] (the role's public variables are
    # claude_code_*, not settings_*; see .ansible-lint). Nothing else, and no warn_list.
    for cfg in .ansible-lint .ansible-lint.yml .ansible-lint.yaml .config/ansible-lint.yml .config/ansible-lint.yaml; do
      if [ -f "$cfg" ] && ! python3 - "$cfg" <<'PY'
import re, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
if any(re.match(r"\s*warn_list\s*:", line) for line in lines):
    sys.exit(1)
skips, inside = [], False
for line in lines:
    if re.match(r"skip_list\s*:", line):
        inside = True
        continue
    if inside and re.match(r"\s+-\s*", line):
        skips.append(line.split("-", 1)[1].split("#", 1)[0].strip())
    elif inside and line.strip() and not line.lstrip().startswith("#"):
        inside = False
sys.exit(0 if skips in ([], ["var-naming[no-role-prefix]"]) else 1)
PY
      then echo "$cfg"; fi
    done
  } )
  [ -z "$offenders" ] || fail "checks switched off in: $offenders"
  echo "none"
  done_step
fi

# ---------------------------------------------------------------------------------- ansible-lint
if gate ansible-lint; then
  step "ansible-lint --profile production (whole tree, incl. molecule/)"
  ansible-lint --version | sed -n 1p
  # Offline, ansible-lint does not install the collection it lints; point Ansible at this copy
  # (and only at it, so no other installed fleetpolicy.claude_code can stand in for it).
  ANSIBLE_COLLECTIONS_PATH=$WORK ansible-lint --profile production --strict --offline --nocolor -f pep8
  done_step
fi

# ------------------------------------------------------------------------------------ changelog
if gate changelog; then
  step "antsibull-changelog lint; changelog.yaml lists every module/plugin/role; CHANGELOG.md generated"
  antsibull-changelog lint
  antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml
  cp CHANGELOG.md "$WORK/CHANGELOG.committed.md"
  antsibull-changelog generate
  diff -u "$WORK/CHANGELOG.committed.md" CHANGELOG.md ||
    fail "CHANGELOG.md is not what antsibull-changelog generates: run UPDATE_CHANGELOG=1 scripts/lint.sh"
  python "$ROOT/scripts/changelog_check.py" check ||
    fail "changelogs/changelog.yaml is out of date: run UPDATE_CHANGELOG=1 scripts/lint.sh"
  git checkout -q -- changelogs CHANGELOG.md
  rm -f changelogs/.plugin-cache.yaml
  echo "release $version lists every module, plugin and role with version_added $version"
  done_step
fi

# ---------------------------------------------------------------------------------------- docs
if gate docs; then
  step "antsibull-docs lint-collection-docs --plugin-docs"
  ANSIBLE_COLLECTIONS_PATH=$WORK antsibull-docs lint-collection-docs --plugin-docs \
    --validate-collection-refs all --disallow-unknown-collection-refs .
  done_step
fi

# ------------------------------------------------------------------------------- build + import
TARBALL=$WORK/dist/fleetpolicy-claude_code-$version.tar.gz
if gate galaxy || gate install || gate rollout || gate ee; then
  step "ansible-galaxy collection build"
  mkdir -p "$WORK/dist"
  ansible-galaxy collection build --force --output-path "$WORK/dist" . >/dev/null
  [ -f "$TARBALL" ] || fail "no $TARBALL"
  echo "$TARBALL ($(du -k "$TARBALL" | cut -f1) KiB, $(tar -tzf "$TARBALL" | grep -vc '/$') files)"
  if tar -tzf "$TARBALL" | grep -E '(^|/)(\.cache|\.venv|\.git|\.ansible|tests/output|\.pytest_cache|__pycache__)(/|$)'; then
    fail "the tarball holds generated files (see above): extend build_ignore in galaxy.yml"
  fi
  done_step
fi

if gate galaxy; then
  step "galaxy-importer on the tarball"
  importer_log=$WORK/galaxy-importer.log
  GALAXY_IMPORTER_CHECK_REQUIRED_TAGS=True GALAXY_IMPORTER_REQUIRE_V1_OR_GREATER=True \
    GALAXY_IMPORTER_TMP_ROOT_DIR="$WORK" \
    GALAXY_IMPORTER_ANSIBLE_LOCAL_TMP="$WORK/importer-tmp" \
    python -m galaxy_importer.main "$TARBALL" > "$importer_log" 2>&1 ||
    { cat "$importer_log"; fail "galaxy-importer failed"; }
  # The importer reports problems as log lines and still exits 0: any warning or error fails here.
  if grep -E '^(WARNING|ERROR)' "$importer_log"; then
    fail "galaxy-importer reported the problems above (full log: $importer_log)"
  fi
  cat "$importer_log"
  done_step
fi

# ------------------------------------------------------------------------- install + ansible-doc
INSTALL=$WORK/installed
if gate install || gate rollout; then
  step "install the tarball into a clean path; ansible-doc of every module, filter and role"
  rm -rf "$INSTALL" "$WORK/run"
  mkdir -p "$INSTALL" "$WORK/run"
  # Run from a directory outside any ansible_collections tree, with only the clean path
  # configured, so nothing but the installed tarball can be found.
  export ANSIBLE_COLLECTIONS_PATH=$INSTALL ANSIBLE_CONFIG=$WORK/run/ansible.cfg
  : > "$ANSIBLE_CONFIG"
  (cd "$WORK/run" && ansible-galaxy collection install --offline --force -p "$INSTALL" "$TARBALL")
  [ -f "$INSTALL/ansible_collections/fleetpolicy/claude_code/MANIFEST.json" ] || fail "the install did not produce MANIFEST.json"
  found=$(cd "$WORK/run" && { ansible-galaxy collection list fleetpolicy.claude_code 2>/dev/null | grep -E '^# ' || true; })
  [ "$found" = "# $INSTALL/ansible_collections" ] || fail "fleetpolicy.claude_code is found elsewhere too: $found"
  count=0
  for type in module filter test lookup role; do
    names=$(cd "$WORK/run" && ansible-doc -t "$type" -l fleetpolicy.claude_code -j 2>/dev/null |
      python -c 'import json,sys; print(" ".join(sorted(json.load(sys.stdin))))')
    for name in $names; do
      out=$(cd "$WORK/run" && ansible-doc -t "$type" "$name" 2>&1) || { echo "$out"; fail "ansible-doc -t $type $name"; }
      if echo "$out" | grep -qE '^\[(WARNING|ERROR|DEPRECATION WARNING)\]'; then echo "$out"; fail "ansible-doc -t $type $name warned"; fi
      if [ "$type" = role ]; then
        echo "$out" | grep -qE '^ENTRY POINT: \**main\**' || fail "ansible-doc -t role $name: no argument spec for main"
        echo "$out" | grep -qiE '^options' || fail "ansible-doc -t role $name: no options"
      else
        echo "$out" | grep -q '^EXAMPLES:' || fail "ansible-doc -t $type $name: no EXAMPLES"
      fi
      printf '  ok  %-7s %s (%s lines)\n' "$type" "$name" "$(echo "$out" | wc -l)"
      count=$((count + 1))
    done
  done
  [ "$count" -gt 0 ] || fail "ansible-doc found nothing in the installed collection"
  done_step
fi

# --------------------------------------------------------------------------- installed rollout
if gate rollout; then
  step "ansible-playbook fleetpolicy.claude_code.rollout from the installed tarball (local target, temp dir)"
  TARGET=$(mktemp -d "$WORK/target.XXXXXX")
  {
    echo "all:"
    echo "  hosts:"
    echo "    lint-local:"
    echo "      ansible_connection: local"
    echo "      ansible_python_interpreter: $VENV/bin/python"
    echo "      claude_code_provider: bedrock"
    echo "      claude_code_aws_region: us-east-1"
    echo "      claude_code_profile: private"
    echo "      claude_code_path: $TARGET/etc/claude-code/managed-settings.json"
    echo "      claude_code_shell_paths:"
    echo "        sh: $TARGET/etc/profile.d/claude-code.sh"
    echo "        bash: $TARGET/etc/bash.bashrc"
    echo "        zsh: $TARGET/etc/zsh/zshenv"
    echo "        fish: $TARGET/etc/fish/conf.d/claude-code.fish"
    echo "        environment_d: $TARGET/etc/environment.d/60-claude-code.conf"
  } > "$TARGET/inventory.yml"
  run_rollout() {
    (cd "$TARGET" && ansible-playbook -i inventory.yml fleetpolicy.claude_code.rollout "$@") > "$TARGET/run.log" 2>&1 ||
      { cat "$TARGET/run.log" >&2; fail "ansible-playbook fleetpolicy.claude_code.rollout $*"; }
    sed -n '/PLAY RECAP/,$p' "$TARGET/run.log" | grep -o 'lint-local.*' | tr -s ' '
  }
  recap=$(run_rollout --check --diff)
  echo "--check on an empty target:   $recap"
  [[ $recap =~ changed=[1-9] ]] || fail "--check reported no change on an empty target"
  [ -z "$(find "$TARGET/etc" -type f 2>/dev/null)" ] || fail "--check wrote files: $(find "$TARGET/etc" -type f)"
  recap=$(run_rollout)
  echo "apply:                        $recap"
  [ -f "$TARGET/etc/claude-code/managed-settings.json" ] || fail "the rollout did not write the managed settings file"
  recap=$(run_rollout --check --diff)
  echo "--check after the rollout:    $recap"
  [[ $recap =~ changed=0\ .*failed=0 ]] || fail "--check after the rollout still reports changes"
  done_step
fi
unset ANSIBLE_COLLECTIONS_PATH ANSIBLE_CONFIG

# --------------------------------------------------------------------- execution environment
if gate ee; then
  step "ansible-builder create (execution-environment.yml, with the built tarball)"
  mkdir -p dist
  cp "$TARBALL" dist/
  rm -rf "$WORK/ee-context"
  ansible-builder create -f execution-environment.yml --context "$WORK/ee-context" --output-filename Containerfile >/dev/null
  rm -rf dist
  grep -q "fleetpolicy-claude_code-$version.tar.gz" "$WORK/ee-context/_build/requirements.yml" ||
    fail "the execution environment does not install fleetpolicy-claude_code-$version.tar.gz (execution-environment.yml)"
  [ -f "$WORK/ee-context/_build/fleetpolicy-collections/fleetpolicy-claude_code-$version.tar.gz" ] ||
    fail "the build context lacks the collection tarball"
  echo "$WORK/ee-context/Containerfile ($(wc -l < "$WORK/ee-context/Containerfile") lines)"
  echo "(building the image, ansible-builder build, needs a container registry for the base image; this machine has none)"
  done_step
fi

# ---------------------------------------------------------------------------- ansible-test (nox)
if gate ansible-test; then
  step "ansible-test sanity + units on ansible-core 2.18 and 2.19 (nox, in the background)"
  STEP_T0=$AT_T0
  at_rc=0
  wait "$AT_PID" || at_rc=$?
  AT_PID=
  # The sessions, each sanity test, the problems found and the unit test counts.
  grep -E '^(nox > (Running|Session|\*)|Running sanity test|ERROR|FATAL: The|Unit test|=+ .*(passed|failed|error).* =+$)' "$AT_WORK/nox.log" || true
  [ "$at_rc" -eq 0 ] || fail "ansible-test failed (exit $at_rc); full output: $AT_WORK/nox.log"
  done_step
fi

STEP_NAME=
echo
echo "== lint.sh: quality gates passed in $((SECONDS - T0))s:${GATES% }"
printf '%s\n' "${TIMINGS[@]}"
