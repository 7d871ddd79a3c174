#!/usr/bin/env bash
# Set up everything the tests need on a fresh Debian 12 machine (run as root).
# Idempotent and quick when all is there already. Steps, all but the demo's by default:
#   apt          Debian packages in APT_PACKAGES (apt-get update only if one is missing)
#   venv         .venv with requirements/test.txt (reinstalled when it or a file it includes
#                changes), made by Python 3.13 (ansible-core 2.21 runs on 3.12-3.14): $PYTHON if
#                set, else pyenv's newest 3.13.x by its full path, else python3.13 on PATH; and a
#                check that the ansible bundle in it has the collections requirements.yml names
#                at the versions it allows (Galaxy is not used here; with Galaxy,
#                `ansible-galaxy collection install -r requirements.yml` gets them)
#   cli          the pinned Claude Code CLI from npm into .cache/claude-cli; when npm
#                cannot install it, .cache/claude-cli/UNAVAILABLE holds the reason
#   cli-range    the oldest supported CLI (.cache/claude-cli-oldest) and the newest on npm
#                today (.cache/claude-cli-newest), for the real-CLI tests across the range
# The pinned and the oldest supported versions are stated in meta/cli_versions.json. Each CLI is
# the native executable of this machine's platform package, @anthropic-ai/claude-code-<platform>,
# installed directly (the wrapper @anthropic-ai/claude-code can lag behind it on npm).
#   collections  .cache/collections/ansible_collections/fleetpolicy/claude_code -> repo
# The demo's steps (scripts/demo.sh), which install only what make demo uses:
#   demo-apt     the Debian packages in APT_DEMO_PACKAGES
#   demo-venv    .cache/demo/venv with ansible-core alone (requirements/core-2.21.txt), made by
#                the same Python 3.13 as .venv
# Usage: scripts/bootstrap.sh [STEP...]
# Writes nothing to /etc except what the Debian packages install.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

# Everything taken from Debian, in one place. Installed without recommends.
# What make demo needs (and the tests too):
#   podman runc conmon containernetworking-plugins: rootful podman with the runc runtime
#   debootstrap wget gpgv debian-archive-keyring: scripts/build-images.sh
#   ca-certificates python3-venv: the venvs, from PyPI
#   openssh-client: Ansible's ssh connection (the demo's, the fleet benchmark's)
APT_DEMO_PACKAGES="podman runc conmon containernetworking-plugins debootstrap wget gpgv
debian-archive-keyring ca-certificates python3-venv openssh-client"
# What only the tests need besides:
#   uidmap slirp4netns: rootless podman, should a developer run it unprivileged
#   zsh fish dash: shells whose rc exports the roles write are tested on the host too
#   iproute2 util-linux: network/mount namespaces for scripts/claude-doctor.sh
#   chromium chromium-driver: the HTML report in a headless browser (tests/integration/test_report_browser.py)
#   prometheus prometheus-node-exporter: promtool and a live scrape of the report's metrics
#   (tests/integration/test_prometheus.py); git: the policy repository of tests/integration/test_pull_mode.py
APT_PACKAGES="$APT_DEMO_PACKAGES uidmap slirp4netns zsh fish dash iproute2 util-linux jq
chromium chromium-driver prometheus prometheus-node-exporter git"

# The interpreter of .venv when set (find_python below otherwise).
PYTHON=${PYTHON:-}
cli_versions() { # the value of KEY in meta/cli_versions.json
    "${PYTHON:-python3}" -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' \
        "$ROOT/meta/cli_versions.json" "$1"
}
CLI_VERSION=$(cli_versions pinned)
# The oldest Claude Code the collection supports (README "Supported Claude Code versions").
CLI_OLDEST=$(cli_versions oldest)
CLI_DIR=${CLAUDE_CLI_DIR:-$ROOT/.cache/claude-cli}
VENV="$ROOT/.venv"
REQUIREMENTS="$ROOT/requirements/test.txt"
# make demo: ansible-core alone, the pinned set of ansible-core 2.21 (the demo reaches its hosts
# with ssh, so it needs no other collection).
DEMO_VENV="$ROOT/.cache/demo/venv"
DEMO_REQUIREMENTS="$ROOT/requirements/core-2.21.txt"

log() { printf 'bootstrap: %s\n' "$*" >&2; }

step_apt() {
    # shellcheck disable=SC2086 # a list of words
    apt_install $APT_PACKAGES
}

step_demo-apt() {
    # shellcheck disable=SC2086
    apt_install $APT_DEMO_PACKAGES
}

apt_install() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
            || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        log "missing Debian packages (need root to install): ${missing[*]}"
        return 1
    fi
    log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The interpreter for .venv: $PYTHON, else pyenv's newest 3.13.x (by its full path: a pyenv shim
# on PATH runs only the versions pyenv has selected), else python3.13 on PATH.
find_python() {
    local root cand
    if [ -n "$PYTHON" ]; then
        echo "$PYTHON"
        return 0
    fi
    root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
    for cand in $(printf '%s\n' "$root"/versions/3.13.*/bin/python3 | sort -rV); do
        if [ -x "$cand" ] && "$cand" -c 'import ssl, venv' 2>/dev/null; then
            echo "$cand"
            return 0
        fi
    done
    cand=$(command -v python3.13 2>/dev/null) || true
    if [ -n "$cand" ] && "$cand" -c 'import ssl, venv' 2>/dev/null; then
        echo "$cand"
        return 0
    fi
    log "no Python 3.13 found: neither $root/versions/3.13.*/bin/python3 nor python3.13 on PATH" \
        "(ansible-core 2.21 in requirements/test.txt needs Python 3.12-3.14; install one with" \
        "'pyenv install 3.13' or your distribution's python3.13, or set PYTHON=/path/to/python3.12)"
    return 1
}

step_venv() {
    local want have="" python
    python=$(find_python) || return 1
    # The file and those it includes (-r NAME, relative to it).
    local files=("$REQUIREMENTS") inc
    while IFS= read -r inc; do files+=("$(dirname "$REQUIREMENTS")/$inc"); done < <(sed -n 's/^-r[[:space:]]*//p' "$REQUIREMENTS")
    want="$(cat "${files[@]}" | sha256sum | cut -d' ' -f1) $("$python" -c 'import sys; print(sys.version.split()[0])')"
    [ -f "$VENV/.requirements.stamp" ] && have=$(cat "$VENV/.requirements.stamp")
    if [ "$want" = "$have" ] && "$VENV/bin/python" -c '' 2>/dev/null; then
        check_bundled_collections
        return
    fi
    "$python" -c 'import sys; sys.exit(not (3, 12) <= sys.version_info[:2] <= (3, 14))' || {
        log "$python is $("$python" --version 2>&1); ansible-core 2.21 runs on Python 3.12-3.14"
        return 1
    }
    # A venv made by another Python (or half made) is rebuilt from scratch.
    if ! "$VENV/bin/python" -c '' 2>/dev/null || [ "${have#* }" != "${want#* }" ]; then
        rm -rf "$VENV"
    fi
    log "installing Python test dependencies into .venv ($("$python" --version 2>&1), $python)"
    [ -x "$VENV/bin/python" ] || "$python" -m venv "$VENV"
    # Quiet on success; the whole log on failure (this machine's pip config adds
    # local indexes whose missing folders make pip warn once per package).
    if ! "$VENV/bin/python" -m pip install --disable-pip-version-check -r "$REQUIREMENTS" \
        >"$VENV/pip-install.log" 2>&1; then
        cat "$VENV/pip-install.log" >&2
        log "pip install failed (log: .venv/pip-install.log)"
        return 1
    fi
    printf '%s\n' "$want" >"$VENV/.requirements.stamp"
    check_bundled_collections
}

# The demo's venv: pinned wheels, no resolver. Rebuilt when the pins or the Python change.
step_demo-venv() {
    local want have="" python
    python=$(find_python) || return 1
    want="$(sha256sum "$DEMO_REQUIREMENTS" | cut -d' ' -f1) $("$python" -c 'import sys; print(sys.version.split()[0])')"
    [ -f "$DEMO_VENV/.stamp" ] && have=$(cat "$DEMO_VENV/.stamp")
    if [ "$want" = "$have" ] && "$DEMO_VENV/bin/python" -c '' 2>/dev/null; then
        return 0
    fi
    log "installing ansible-core into .cache/demo/venv"
    rm -rf "$DEMO_VENV"
    "$python" -m venv "$DEMO_VENV"
    if ! "$DEMO_VENV/bin/python" -m pip install --disable-pip-version-check --no-deps -r "$DEMO_REQUIREMENTS" \
        >"$DEMO_VENV/pip-install.log" 2>&1; then
        cat "$DEMO_VENV/pip-install.log" >&2
        log "pip install failed (log: .cache/demo/venv/pip-install.log)"
        return 1
    fi
    printf '%s\n' "$want" >"$DEMO_VENV/.stamp"
}

cli_platform() {
    case "$(uname -m)" in
        x86_64) echo linux-x64 ;;
        aarch64 | arm64) echo linux-arm64 ;;
        *) return 1 ;;
    esac
}

cli_unavailable() {
    mkdir -p "$CLI_DIR"
    printf '%s\n' "$*" >"$CLI_DIR/UNAVAILABLE"
    log "Claude Code CLI unavailable (tests that need it will skip): $*"
}

# The first two telling "npm error" lines: the code and the message.
npm_reason() {
    printf '%s\n' "$1" | grep '^npm error' | sed 's/^npm error //' \
        | grep -vE '^($|[[:space:]]|[{}]|syscall |errno |A complete log|If you are behind)' \
        | head -n 2 | paste -sd ';' | sed 's/;/; /'
}

# The CLI's --version, with an empty HOME and (where possible) no network, so that
# nothing leaves the machine.
cli_version() {
    local home run=()
    home=$(mktemp -d)
    unshare --net true 2>/dev/null && run=(unshare --net --)
    HOME=$home "${run[@]}" "$1" --version </dev/null 2>/dev/null || true
    rm -rf "$home"
}

step_cli() {
    install_cli "$CLI_VERSION" "$CLI_DIR"
}

step_cli-range() {
    local newest out platform package
    install_cli "$CLI_OLDEST" "$ROOT/.cache/claude-cli-oldest"
    platform=$(cli_platform) || {
        CLI_DIR="$ROOT/.cache/claude-cli-newest" cli_unavailable "no native Claude Code build for $(uname -m)"
        return 0
    }
    package="@anthropic-ai/claude-code-$platform"
    if ! out=$(npm view "$package" version --fetch-retries=1 --fetch-timeout=60000 2>&1); then
        CLI_DIR="$ROOT/.cache/claude-cli-newest" cli_unavailable "npm view $package version failed: $(npm_reason "$out")"
        return 0
    fi
    newest=$(printf '%s\n' "$out" | tail -n 1)
    install_cli "$newest" "$ROOT/.cache/claude-cli-newest"
}

install_cli() {
    local CLI_VERSION=$1 CLI_DIR=$2
    local bin="$CLI_DIR/bin/claude" platform package stage out
    if [ -x "$bin" ] && [ ! -e "$CLI_DIR/UNAVAILABLE" ] \
        && [ "$(cat "$CLI_DIR/.version" 2>/dev/null)" = "$CLI_VERSION" ]; then
        return 0
    fi
    platform=$(cli_platform) || { cli_unavailable "no native Claude Code build for $(uname -m)"; return 0; }
    command -v npm >/dev/null || { cli_unavailable "npm not found on PATH"; return 0; }
    package="@anthropic-ai/claude-code-$platform"
    log "installing $package@$CLI_VERSION into $CLI_DIR (~430 MB)"
    mkdir -p "$(dirname "$CLI_DIR")"
    rm -rf "$CLI_DIR".stage.* # left by an interrupted run
    stage=$(mktemp -d "$CLI_DIR.stage.XXXXXX")
    chmod 755 "$stage" # containers bind-mount it and may run as another user
    # Never global: --prefix keeps node_modules inside the stage folder.
    if ! out=$(npm install --prefix "$stage" --no-audit --no-fund --no-update-notifier \
        --fetch-retries=1 --fetch-timeout=60000 "$package@$CLI_VERSION" 2>&1); then
        rm -rf "$stage"
        cli_unavailable "npm install $package@$CLI_VERSION failed: $(npm_reason "$out")"
        return 0
    fi
    # bin/claude points at the package's native executable with a relative link, so the
    # folder can be bind-mounted anywhere.
    mkdir -p "$stage/bin"
    ln -sfn "../node_modules/$package/claude" "$stage/bin/claude"
    if [ "$(cli_version "$stage/bin/claude" | cut -d' ' -f1)" != "$CLI_VERSION" ]; then
        rm -rf "$stage"
        cli_unavailable "installed $package@$CLI_VERSION but its binary did not report version $CLI_VERSION"
        return 0
    fi
    printf '%s\n' "$CLI_VERSION" >"$stage/.version"
    rm -rf "$CLI_DIR"
    mv "$stage" "$CLI_DIR"
    log "Claude Code CLI $CLI_VERSION: $CLI_DIR/bin/claude"
}

step_collections() {
    local link="$ROOT/.cache/collections/ansible_collections/fleetpolicy/claude_code"
    if [ "$(readlink "$link" 2>/dev/null)" != "$ROOT" ]; then
        mkdir -p "$(dirname "$link")"
        ln -sfn "$ROOT" "$link"
    fi
}

# requirements.yml's collections must be in the ansible bundle in .venv, at versions its ranges
# allow (read from each collection's MANIFEST.json; a range is a comma-separated list of
# comparisons, as ansible-galaxy takes it).
check_bundled_collections() {
    [ -x "$VENV/bin/python" ] || { log "no .venv: run scripts/bootstrap.sh venv first"; return 1; }
    "$VENV/bin/python" - "$ROOT/requirements.yml" <<'EOF'
import json, os, sys

import ansible_collections
import yaml
from packaging.specifiers import SpecifierSet
from packaging.version import Version

with open(sys.argv[1], encoding="utf-8") as handle:
    wanted = yaml.safe_load(handle)["collections"]
# ansible_collections is a namespace package: the bundle is the folder of it in site-packages.
bundles = [p for p in ansible_collections.__path__ if os.path.basename(os.path.dirname(p)) == "site-packages"]
problems = []
for entry in wanted:
    name, allowed = entry["name"], str(entry.get("version", "*"))
    manifests = [os.path.join(b, *name.split("."), "MANIFEST.json") for b in bundles]
    found = [m for m in manifests if os.path.isfile(m)]
    if not found:
        problems.append(f"{name} is not in the ansible bundle ({', '.join(bundles) or 'no site-packages'})")
        continue
    with open(found[0], encoding="utf-8") as handle:
        version = json.load(handle)["collection_info"]["version"]
    spec = SpecifierSet("" if allowed == "*" else allowed.replace(" ", ""))
    if Version(version) not in spec:
        problems.append(f"{name} {version} in the ansible bundle is outside {allowed}")
for line in problems:
    print(f"bootstrap: requirements.yml: {line}", file=sys.stderr)
sys.exit(1 if problems else 0)
EOF
}

steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=(apt venv cli cli-range collections)

# One bootstrap at a time (make -j, or two terminals).
mkdir -p "$ROOT/.cache"
exec 9>"$ROOT/.cache/bootstrap.lock"
flock 9

for s in "${steps[@]}"; do
    case "$s" in
        apt | venv | cli | cli-range | collections | demo-apt | demo-venv) "step_$s" ;;
        *) log "unknown step '$s' (apt, venv, cli, cli-range, collections, demo-apt, demo-venv)"; exit 2 ;;
    esac
done
