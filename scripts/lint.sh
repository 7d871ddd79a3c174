#!/usr/bin/env bash
# Quality gates (docs/quality-gates.md). The gates themselves are nox sessions: antsibull-nox's
# (antsibull-nox.toml) and the few it cannot run here (noxfile.py). This script only
#   - installs the runner (.cache/lint-venv from requirements/lint.txt),
#   - runs the one gate nox has no session for: nothing switched off,
#   - runs ansible-test units of 2.19 and sanity of 2.19-2.22 on this machine (Python 3.11, and
#     pyenv's Pythons for ansible-test's per-Python checks and the 3.13 sessions) and, at the same
#     time, units and the tarball test of 2.20, 2.21 and 2.22 in the Debian 13 root (Python 3.13,
#     scripts/debian13-root.sh) followed by this machine's other sessions (changelog, ruff,
#     ansible-lint, docs, galaxy-importer, the tarball test of 2.19),
#   - fails on galaxy-importer WARNING lines (antsibull-nox fails on its ERROR lines only),
#   - builds and runs the execution environment (scripts/ee.sh),
#   - prints the time of every gate.
#
#   scripts/lint.sh              every gate
#   scripts/lint.sh GATE...      only these: nothing-off host debian13 ee
#   NOX_ARGS='-R' scripts/lint.sh host    extra nox arguments (e.g. -R: reuse venvs, skip installs)
set -euo pipefail
GATES=" ${*:-nothing-off host debian13 ee} "
gate() { [[ $GATES == *" $1 "* ]]; }
# The Makefile exports a collections path pointing at this checkout; the gates choose their own.
unset ANSIBLE_COLLECTIONS_PATH ANSIBLE_COLLECTIONS_PATHS ANSIBLE_CONFIG
cd "$(dirname "$0")/.."
ROOT=$PWD
CACHE=$ROOT/.cache
VENV=$CACHE/lint-venv
LOGS=$CACHE/lint-logs
# Debian's Python 3.11, not whatever else is first on PATH (an interpreter manager's shims
# would make nox pick an interpreter that does not run).
PY=${PYTHON:-/usr/bin/python3}
export PIP_DISABLE_PIP_VERSION_CHECK=1 ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 PY_COLORS=0 NO_COLOR=1
read -r -a NOX_ARGS <<< "${NOX_ARGS:-}"
export PATH=$VENV/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# Every CPython pyenv has built here, after the system's (so python3 stays Debian's): ansible-test
# sanity checks modules on each Python a release supports that it finds (3.8-3.13 here), and the
# 3.13 sanity sessions need a python3.13. A machine without them skips those Pythons (warnings).
for d in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.*/bin; do if [ -x "$d/python3" ]; then PATH=$PATH:$d; fi; done

# Sessions per place: sanity of every release here (the most Pythons), units and the tarball test
# of the releases that need Python >= 3.12 in the Debian 13 root. Two lanes run at once: this
# machine's ansible-test sessions in the foreground (they share ~/.ansible/test, so one at a time),
# and in the background the Debian 13 root's sessions, then this machine's HOST_LATE ones (no
# ansible-test: nothing shared with the foreground). On 2 cores each lane then takes about as long.
read -r -a HOST_SESSIONS <<< "ansible-test-units-2.19 ansible-test-sanity-2.19 ansible-test-sanity-2.20 ansible-test-sanity-2.21 ansible-test-sanity-2.22"
read -r -a HOST_LATE_SESSIONS <<< "changelog antsibull-nox-config formatters codeqa extra-checks ansible-lint docs-check build-import-check rollout-2.19"
read -r -a DEBIAN13_SESSIONS <<< "ansible-test-units-2.20 ansible-test-units-2.21 ansible-test-units-2.22 rollout-2.20 rollout-2.21 rollout-2.22"

T0=$SECONDS
TIMINGS=()
PIDS=()
timing() { TIMINGS+=("$(printf '%5ss  %s' "$1" "$2")"); }
fail() { echo "FAIL: $*" >&2; exit 1; }
on_exit() {
  local rc=$? pid
  for pid in "${PIDS[@]}"; do kill -- "-$pid" 2>/dev/null || true; done
  if [ "$rc" -ne 0 ]; then
    printf '%s\n' "${TIMINGS[@]}" >&2
    echo "lint.sh: FAILED (exit $rc); logs in $LOGS" >&2
  fi
}
trap on_exit EXIT

mkdir -p "$CACHE" "$LOGS"
exec 9>"$CACHE/lint.lock"
if ! flock -n 9; then
  echo "lint.sh: waiting for another lint.sh run to finish"
  flock 9
fi

# ---------------------------------------------------------------------------------------- runner
t=$SECONDS
# Debian packages the gates need (a fresh machine may lack them): venvs for Debian's Python,
# debootstrap for the Debian 13 root and the EE base, ssh-keygen for the EE's SSH target, and
# the shellcheck program for ansible-test sanity's test of that name (sanity runs here).
missing=()
for p in python3-venv debootstrap openssh-client util-linux shellcheck; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || fail "missing Debian packages (need root): ${missing[*]}"
  echo "installing Debian packages: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
fi
want=$(sha256sum requirements/lint.txt | cut -d' ' -f1)
if [ ! -x "$VENV/bin/nox" ] || [ "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" != "$want" ]; then
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install -q -r requirements/lint.txt
  echo "$want" > "$VENV/.requirements.sha256"
fi
timing $((SECONDS - t)) "runner: $VENV (requirements/lint.txt)"

# sessions PLACE LOG CMD...: run each session (one nox call each, so every session gets its own
# exact time; a failing one does not stop the others), append "SECONDS  PLACE SESSION (status)"
# lines to LOG.times; exit 1 if any failed.
sessions() {
  local place=$1 log=$2 rc=0 s t; shift 2
  local -a cmd=("$@")
  local -n list=${place^^}_SESSIONS
  for s in "${list[@]}"; do
    t=$SECONDS
    # antsibull-nox's formatters session rewrites files, except in CI (CI=true), where it checks.
    local -a ci=()
    [ "$s" = formatters ] && ci=(env CI=true)
    if "${ci[@]}" "${cmd[@]}" nox --no-color "${NOX_ARGS[@]}" -s "$s" >> "$log" 2>&1; then
      printf '%5ss  %s %s (success)\n' $((SECONDS - t)) "$place" "$s" >> "$log.times"
    else
      printf '%5ss  %s %s (FAILED)\n' $((SECONDS - t)) "$place" "$s" >> "$log.times"; rc=1
    fi
  done
  return $rc
}

# ----------------------------------------------------------------------------- nothing skipped
if gate nothing-off; then
  t=$SECONDS
  echo "== nothing switched off"
  python scripts/nothing_off.py
  timing $((SECONDS - t)) "nothing-off"
fi

# ------------------------------------------------------------ nox: this machine + Debian 13 root
SUMMARY='^nox > (Running session|Session .* (was successful|failed|raised))|^nox > [^>]*(rollout|ansible-doc|drift|collection copy)'
BG_PID=
D13_LOG=$LOGS/nox-debian13.log LATE_LOG=$LOGS/nox-host-late.log
D13=no LATE=no BG_WHAT=()
if gate debian13; then D13=yes; BG_WHAT+=("the Debian 13 root (Python 3.13): ${DEBIAN13_SESSIONS[*]}"); fi
if gate host; then LATE=yes; BG_WHAT+=("this machine: ${HOST_LATE_SESSIONS[*]}"); fi
if [ ${#BG_WHAT[@]} -gt 0 ]; then
  t_bg=$SECONDS
  echo "== in the background, one after the other: $(IFS=';'; echo "${BG_WHAT[*]}")"
  for log in "$D13_LOG" "$LATE_LOG"; do : > "$log"; : > "$log.times"; done
  # setsid: its own process group, so a failure elsewhere can stop all of it. The single-quoted
  # part is expanded by the inner bash ($1 and $2: the logs, $3 and $4: whether each part runs).
  # shellcheck disable=SC2016
  setsid bash -c "$(declare -f sessions); $(declare -p DEBIAN13_SESSIONS HOST_LATE_SESSIONS NOX_ARGS)"'
    rc=0
    if [ "$3" = yes ]; then
      t=$SECONDS
      if scripts/debian13-root.sh build >> "$1" 2>&1; then
        printf "%5ss  debian13 root (debootstrap + /opt/nox venv, cached)\n" $((SECONDS - t)) > "$1.times"
        sessions debian13 "$1" scripts/debian13-root.sh run || rc=1
      else
        printf "%5ss  debian13 root (FAILED)\n" $((SECONDS - t)) > "$1.times"; rc=1
      fi
    fi
    if [ "$4" = yes ]; then sessions host_late "$2" || rc=1; fi
    exit $rc' lint-background "$D13_LOG" "$LATE_LOG" "$D13" "$LATE" &
  BG_PID=$!
  PIDS+=("$BG_PID")
fi

if gate host; then
  t=$SECONDS
  echo "== nox on this machine (Python 3.11, pyenv's for sanity): ${HOST_SESSIONS[*]}"
  host_rc=0
  : > "$LOGS/nox-host.log"; : > "$LOGS/nox-host.log.times"
  sessions host "$LOGS/nox-host.log" || host_rc=$?
  grep -E "$SUMMARY" "$LOGS/nox-host.log" || true
  while IFS= read -r line; do TIMINGS+=("$line"); done < "$LOGS/nox-host.log.times"
  if [ "$host_rc" -ne 0 ]; then tail -n 60 "$LOGS/nox-host.log" >&2; fail "nox on this machine (full log: $LOGS/nox-host.log)"; fi
  timing $((SECONDS - t)) "host nox total (foreground lane)"
fi

if [ -n "$BG_PID" ]; then
  bg_rc=0
  wait "$BG_PID" || bg_rc=$?
  PIDS=()
  failed_log=
  for log in "$D13_LOG" "$LATE_LOG"; do
    grep -E "$SUMMARY" "$log" || true
    while IFS= read -r line; do TIMINGS+=("$line"); done < "$log.times"
    if [ -z "$failed_log" ] && grep -q 'FAILED)' "$log.times"; then failed_log=$log; fi
  done
  if [ "$bg_rc" -ne 0 ]; then
    if [ -n "$failed_log" ]; then tail -n 60 "$failed_log" >&2; fail "nox in the background lane (full log: $failed_log)"; fi
    fail "nox in the background lane (logs: $D13_LOG, $LATE_LOG)"
  fi
  # galaxy-importer reports problems as log lines and still succeeds: WARNING fails here too.
  if sed -n '/Running session build-import-check/,/Session build-import-check/p' "$LATE_LOG" | grep -E '^\s*(WARNING|ERROR)'; then
    fail "galaxy-importer reported the problems above (full log: $LATE_LOG)"
  fi
  timing $((SECONDS - t_bg)) "background lane total"
fi

# --------------------------------------------------------------------- execution environment
if gate ee; then
  t=$SECONDS
  echo "== execution environment: build (no network) and run the rollout + drift the AWX way"
  scripts/ee.sh test
  timing $((SECONDS - t)) "ee (scripts/ee.sh test)"
fi

echo
echo "== lint.sh: quality gates passed in $((SECONDS - T0))s:${GATES% }"
printf '%s\n' "${TIMINGS[@]}"
