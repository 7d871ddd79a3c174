#!/usr/bin/env bash
# The execution environment (EE), built and run on a machine with no container registry:
#
#   scripts/ee.sh build   base image from debootstrap (Debian 13, Python 3.13, sshpass), wheelhouse from
#                         requirements/ee.txt, then ansible-builder with execution-environment.yml
#                         (Debian base and interpreter swapped in), built with
#                         `--pull=never --network none`: the build reads the mounted wheelhouse only
#   scripts/ee.sh run     run the rollout and the drift playbooks inside the EE the way AWX does,
#                         `ansible-runner transmit | podman run EE ansible-runner worker |
#                         ansible-runner process`, against a target container that has no network
#                         and is reachable over SSH on loopback only (sshd on 127.0.0.1:2222, the EE
#                         joins its network namespace): --check, apply, --check with changed=0,
#                         then drift, whose report comes back with the job's artifacts
#   scripts/ee.sh test    build, then run (what scripts/lint.sh runs)
#
# Images are rebuilt only when their inputs change (a hash of them is a label on the image, as
# scripts/build-images.sh does); replaced and intermediate images are removed by id.
# Env: EE_IMAGE (default localhost/fleetpolicy-claude-code-ee:1.0.0), MIRROR (Debian mirror).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
: "${CONTAINERS_CONF:=$ROOT/tests/containers.conf}"
export CONTAINERS_CONF
unset ANSIBLE_COLLECTIONS_PATH ANSIBLE_COLLECTIONS_PATHS ANSIBLE_CONFIG
export PATH=$ROOT/.cache/lint-venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PIP_DISABLE_PIP_VERSION_CHECK=1

WORK=$ROOT/.cache/ee
VERSION=$(sed -nE 's/^version: *([0-9.]+).*/\1/p' galaxy.yml)
EE_IMAGE=${EE_IMAGE:-localhost/fleetpolicy-claude-code-ee:$VERSION}
BASE_IMAGE=localhost/fleetpolicy-ee-base:trixie
TARGET_IMAGE=localhost/fleetpolicy-ssh-target:bookworm
LABEL=org.fleetpolicy.inputs
# Base: what ansible-builder's stages need that cannot come over the network during the build.
#   python3 python3-venv: the interpreter, in a venv at /opt/ee (Debian's own Python refuses pip
#   installs, and has no ensurepip); openssh-client: ssh and ssh-agent for AWX-style SSH keys;
#   sshpass: machine credentials with an SSH password (execution-environment.yml's bindep list)
BASE_INCLUDE="python3,python3-venv,openssh-client,sshpass,ca-certificates"
TARGET_INCLUDE="python3,openssh-server"

log() { printf 'ee: %s\n' "$*" >&2; }
fail() { log "FAIL: $*"; exit 1; }

# shellcheck source=scripts/debootstrap-lib.sh
. "$ROOT/scripts/debootstrap-lib.sh"

label_of() { podman image inspect --format "{{ index .Labels \"$LABEL\" }}" "$1" 2>/dev/null || true; }
id_of() { podman image inspect --format '{{.Id}}' "$1" 2>/dev/null || true; }

# rootfs_image IMAGE SUITE INCLUDE SETUP: debootstrap, SETUP run in the root (chroot), import.
rootfs_image() {
    local image=$1 suite=$2 include=$3 setup=$4 recipe rfs old
    shift 4
    recipe=$(printf '%s\n' "$suite" "$include" "$setup" "$@" | sha256sum | cut -c1-16)
    [ "$(label_of "$image")" = "$recipe" ] && { log "$image is up to date"; return 0; }
    rfs=$WORK/rootfs-$suite-$recipe
    rm -rf --one-file-system "$rfs"
    log "debootstrap $suite for $image (about a minute)"
    debootstrap_root "$suite" "$rfs" "$include" "$WORK/debootstrap-$suite.log" \
        || fail "debootstrap $suite failed (log: $WORK/debootstrap-$suite.log)"
    chroot "$rfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin /bin/sh -ec "$setup"
    # Smaller image, same function: package caches, lists, docs, man pages and locales go.
    rm -rf "$rfs"/var/cache/apt/archives/*.deb "$rfs"/var/lib/apt/lists/* "$rfs"/var/log/*.log \
        "$rfs"/usr/share/doc/* "$rfs"/usr/share/man/* "$rfs"/usr/share/locale/* "$rfs"/debootstrap
    old=$(id_of "$image")
    tar -C "$rfs" --numeric-owner -c . | podman import --quiet --change "LABEL $LABEL=$recipe" \
        "${@/#/--change=}" - "$image" >/dev/null
    rm -rf --one-file-system "$rfs"
    if [ -n "$old" ] && [ "$old" != "$(id_of "$image")" ]; then podman rmi "$old" >/dev/null 2>&1 || true; fi
    log "imported $image ($(podman image inspect --format '{{.Size}}' "$image" | awk '{printf "%d MB", $1/1e6}'))"
}

build() {
    mkdir -p "$WORK"
    exec 7>"$WORK/build.lock"
    flock 7
    local t0=$SECONDS
    [ -x "$ROOT/.cache/lint-venv/bin/ansible-builder" ] || fail "no .cache/lint-venv: run scripts/lint.sh (or make lint) first"
    # execution-environment.yml and requirements/ee.txt name the same ansible-core and runner.
    local want
    while read -r want; do
        grep -q "package_pip: $want\$" execution-environment.yml ||
            fail "execution-environment.yml does not install $want (requirements/ee.txt does)"
    done < <(grep -E '^(ansible-core|ansible-runner)==' requirements/ee.txt)
    grep -q "fleetpolicy-claude_code-$VERSION.tar.gz" execution-environment.yml ||
        fail "execution-environment.yml does not install fleetpolicy-claude_code-$VERSION.tar.gz (galaxy.yml's version)"

    rootfs_image "$BASE_IMAGE" trixie "$BASE_INCLUDE" \
        'python3 -m venv /opt/ee && /opt/ee/bin/python3 -m pip --version >/dev/null' \
        'ENV PATH=/opt/ee/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        'ENV LANG=C.UTF-8' 'CMD ["/bin/bash"]'

    # Wheelhouse: every wheel of requirements/ee.txt for the base's Python (3.13), downloaded with
    # the Debian 13 root's pip (same interpreter and platform tags), cached by that file's hash.
    local wh_hash wh
    wh_hash=$(sha256sum requirements/ee.txt | cut -c1-16)
    wh=$WORK/wheelhouse-$wh_hash
    if [ ! -f "$wh/.complete" ]; then
        rm -rf "$WORK"/wheelhouse-*
        mkdir -p "$wh"
        log "wheelhouse from requirements/ee.txt (Python 3.13, binary wheels only)"
        scripts/debian13-root.sh run /opt/nox/bin/pip download -q --only-binary=:all: --no-deps \
            -d "$wh" -r requirements/ee.txt
        printf '[global]\nno-index = true\nfind-links = /wheels\n' > "$wh/pip.conf"
        touch "$wh/.complete"
    fi

    # The collection tarball from this checkout.
    local tools=$WORK/tools venv_hash
    venv_hash=$(sha256sum requirements/core-2.19.txt | cut -c1-16)
    if [ "$(cat "$tools/.hash" 2>/dev/null)" != "$venv_hash" ]; then
        rm -rf "$tools"
        /usr/bin/python3 -m venv "$tools"
        "$tools/bin/pip" install -q -r requirements/core-2.19.txt
        echo "$venv_hash" > "$tools/.hash"
    fi
    local ctx=$WORK/context src=$WORK/src
    rm -rf "$src" && mkdir -p "$src/dist"
    git ls-files -z --cached --others --exclude-standard -- . ':!:.cache' ':!:.venv' |
        while IFS= read -r -d '' f; do if [ -e "$f" ]; then printf '%s\0' "$f"; fi; done |
        tar --null -T - -cf - | tar -xf - -C "$src"
    (cd "$src" && "$tools/bin/ansible-galaxy" collection build --force --output-path dist . >/dev/null)
    local tarball=$src/dist/fleetpolicy-claude_code-$VERSION.tar.gz
    [ -f "$tarball" ] || fail "no $tarball"

    # The definition as users with a registry build it: its build context must come out of
    # ansible-builder (the image itself needs the registry).
    rm -rf "$WORK/context-rpm"
    (cd "$src" && ansible-builder create -f execution-environment.yml --context "$WORK/context-rpm" \
        --output-filename Containerfile >/dev/null)
    if ! grep -q '^ARG EE_BASE_IMAGE="docker.io/library/python:3.13-slim-trixie"' "$WORK/context-rpm/Containerfile" ||
        [ ! -f "$WORK/context-rpm/_build/fleetpolicy-collections/fleetpolicy-claude_code-$VERSION.tar.gz" ]; then
        fail "ansible-builder create of execution-environment.yml (registry base) did not give the expected context"
    fi

    # Inputs of the EE image: the definition, the wheels, the base, the collection's content.
    local inputs
    inputs=$({ sha256sum execution-environment.yml requirements/ee.txt "$0" | cut -d' ' -f1
               id_of "$BASE_IMAGE"
               tar -tzf "$tarball" | LC_ALL=C sort
               tar -xzOf "$tarball" | sha256sum; } | sha256sum | cut -c1-16)
    if [ "$(label_of "$EE_IMAGE")" = "$inputs" ]; then
        log "$EE_IMAGE is up to date (inputs $inputs)"
        return 0
    fi

    # The Debian variant of execution-environment.yml: only the base and its interpreter change.
    python3 - "$src/execution-environment.yml" "$BASE_IMAGE" "$inputs" "$LABEL" <<'EOF'
import sys, yaml
path, base, inputs, label = sys.argv[1:]
with open(path, encoding="utf-8") as handle:
    ee = yaml.safe_load(handle)
ee["images"] = {"base_image": {"name": base}}
ee["dependencies"]["python_interpreter"] = {"python_path": "/opt/ee/bin/python3"}
ee["dependencies"]["system"] = []          # openssh-client and sshpass are in the base: apt has no lists offline
for stage in ("prepend_builder", "prepend_final"):   # nor can apt-get update reach a mirror
    ee["additional_build_steps"][stage] = [x for x in ee["additional_build_steps"].get(stage, []) if "apt-get update" not in x]
ee.setdefault("options", {})["package_manager_path"] = "/usr/bin/apt-get"
ee["options"]["tags"] = []
steps = ee.setdefault("additional_build_steps", {})
steps["append_final"] = list(steps.get("append_final") or []) + ["LABEL %s=%s" % (label, inputs)]
with open(path, "w", encoding="utf-8") as handle:
    yaml.safe_dump(ee, handle, sort_keys=False)
EOF
    rm -rf "$ctx"
    local before after old t1=$SECONDS
    old=$(id_of "$EE_IMAGE")
    before=$(podman images -q --filter dangling=true | sort)
    log "ansible-builder build $EE_IMAGE (--pull=never --network none, wheelhouse mounted)"
    if ! (cd "$src" && ansible-builder build -f execution-environment.yml --context "$ctx" \
            --container-runtime podman -t "$EE_IMAGE" \
            --build-arg PKGMGR_PRESERVE_CACHE=always \
            --extra-build-cli-args "--pull=never --network none -v $wh:/wheels:ro,Z -v $wh/pip.conf:/etc/pip.conf:ro" \
            -v 2 > "$WORK/build.log" 2>&1); then
        tail -n 40 "$WORK/build.log" >&2
        fail "ansible-builder build failed (log: $WORK/build.log)"
    fi
    # The stages' untagged images, and the image this one replaced: removed by id.
    after=$(podman images -q --filter dangling=true | sort)
    for id in $(comm -13 <(echo "$before") <(echo "$after")) ; do podman rmi "$id" >/dev/null 2>&1 || true; done
    if [ -n "$old" ] && [ "$old" != "$(id_of "$EE_IMAGE")" ]; then podman rmi "$old" >/dev/null 2>&1 || true; fi
    log "built $EE_IMAGE in $((SECONDS - t1))s ($(podman image inspect --format '{{.Size}}' "$EE_IMAGE" | awk '{printf "%d MB", $1/1e6}')); build total $((SECONDS - t0))s"
}

# ------------------------------------------------------------------------------------------ run
TARGET=
cleanup_run() { if [ -n "$TARGET" ]; then podman rm -f "$TARGET" >/dev/null 2>&1 || true; fi; }

run() {
    mkdir -p "$WORK"
    [ -n "$(id_of "$EE_IMAGE")" ] || fail "no $EE_IMAGE: run scripts/ee.sh build"
    rootfs_image "$TARGET_IMAGE" bookworm "$TARGET_INCLUDE" \
        'rm -f /etc/ssh/ssh_host_*; mkdir -p /run/sshd /root/.ssh; chmod 700 /root/.ssh' \
        'ENV LANG=C.UTF-8' 'STOPSIGNAL SIGKILL' 'CMD ["/bin/bash"]'
    local ssh=$WORK/ssh run=$WORK/run
    mkdir -p "$ssh"
    [ -f "$ssh/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C ee-job -f "$ssh/id_ed25519"
    [ -f "$ssh/host_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C ee-target -f "$ssh/host_ed25519"
    rm -rf "$run" && mkdir -p "$run"

    trap cleanup_run EXIT
    TARGET=$(podman run -d --network none --name "fpc-ee-target-$$" \
        -v "$ssh/host_ed25519:/etc/ssh/ssh_host_ed25519_key:ro" \
        -v "$ssh/id_ed25519.pub:/root/.ssh/authorized_keys:ro" \
        "$TARGET_IMAGE" /usr/sbin/sshd -D -e -p 2222 -o ListenAddress=127.0.0.1 \
        -o HostKey=/etc/ssh/ssh_host_ed25519_key -o PasswordAuthentication=no -o PermitRootLogin=prohibit-password)
    log "target container ${TARGET:0:12}: --network none, sshd on 127.0.0.1:2222"

    # The private data directory AWX would send: project, inventory, SSH key, extra vars.
    local pdd=$run/template
    mkdir -p "$pdd/project" "$pdd/inventory" "$pdd/env"
    # the example AWX project (docs/awx.md): rollout.yml and drift.yml import the collection's
    cp docs/awx/project/rollout.yml docs/awx/project/drift.yml "$pdd/project/"
    echo "[127.0.0.1]:2222 $(cut -d' ' -f1,2 "$ssh/host_ed25519.pub")" > "$pdd/project/known_hosts"
    cat > "$pdd/inventory/hosts.yml" <<'EOF'
all:
  hosts:
    fleet-target:
      ansible_host: 127.0.0.1
      ansible_port: 2222
      ansible_user: root
      ansible_python_interpreter: /usr/bin/python3
      ansible_ssh_common_args: -o UserKnownHostsFile=/runner/project/known_hosts -o StrictHostKeyChecking=yes
      claude_code_provider: bedrock
      claude_code_aws_region: us-east-1
      claude_code_profile: private
EOF
    cp "$ssh/id_ed25519" "$pdd/env/ssh_key"
    # The drift report goes where the job's artifacts go (ansible-runner's artifact directory),
    # so it comes back to the controller with them.
    cat > "$pdd/env/extravars" <<'EOF'
claude_code_report_dir: "{{ lookup('ansible.builtin.env', 'AWX_ISOLATED_DATA_DIR') }}/drift-report"
EOF
    printf 'ANSIBLE_NOCOLOR: "1"\nANSIBLE_DEPRECATION_WARNINGS: "1"\n' > "$pdd/env/envvars"

    # job NAME PLAYBOOK [CMDLINE]: one job, transmit | worker in the EE | process.
    job() {
        local name=$1 playbook=$2 cmdline=${3:-} dir=$run/$1 rc
        cp -a "$pdd" "$dir"
        local args=(transmit "$dir" -p "$playbook" --ident "$name")
        [ -z "$cmdline" ] || args+=("--cmdline=$cmdline")
        rc=0
        ansible-runner "${args[@]}" |
            podman run --rm -i --network "container:$TARGET" "$EE_IMAGE" \
                ansible-runner worker --private-data-dir=/runner |
            ansible-runner process "$run/$name-out" > "$run/$name.stdout" 2>&1 || rc=$?
        python3 - "$run/$name-out" "$name" <<'EOF'
import glob, json, os, re, sys
out, name = sys.argv[1:]
art = os.path.join(out, "artifacts")
stats, warnings = None, []
for path in sorted(glob.glob(os.path.join(art, "job_events", "*.json"))):
    with open(path, encoding="utf-8") as handle:
        event = json.load(handle)
    if event.get("event") == "playbook_on_stats":
        stats = event["event_data"]
    for line in (event.get("stdout") or "").splitlines():
        if re.match(r"^\[(DEPRECATION WARNING|WARNING)\]", re.sub(r"\x1b\[[0-9;]*m", "", line)):
            warnings.append(line)
status = open(os.path.join(art, "status")).read().strip() if os.path.exists(os.path.join(art, "status")) else "?"
rc = open(os.path.join(art, "rc")).read().strip() if os.path.exists(os.path.join(art, "rc")) else "?"
host = "fleet-target"
summary = {k: (stats or {}).get(k, {}).get(host, 0) for k in ("ok", "changed", "failures", "dark")}
# set_stats data: what AWX stores as the job's artifacts and hands to the next workflow node
artifacts = (stats or {}).get("artifact_data") or {}
json.dump({"status": status, "rc": rc, "warnings": warnings, "artifacts": artifacts, **summary},
          open(os.path.join(out, "summary.json"), "w"))
print("%-14s status=%s rc=%s ok=%s changed=%s failed=%s unreachable=%s warnings=%d" % (
    name, status, rc, summary["ok"], summary["changed"], summary["failures"], summary["dark"], len(warnings)))
for line in warnings:
    print("   " + line)
EOF
        [ "$rc" -eq 0 ] || { cat "$run/$name.stdout" >&2; fail "ansible-runner process for $name exited $rc"; }
    }
    field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$run/$1-out/summary.json" "$2"; }
    expect() { # NAME FIELD OP VALUE
        local v; v=$(field "$1" "$2")
        python3 -c 'import sys; v, op, w = sys.argv[1:]; sys.exit(0 if {"==": v == w, ">=": v.isdigit() and int(v) >= int(w)}[op] else 1)' "$v" "$3" "$4" ||
            fail "$1: $2 is $v, expected $3 $4 (stdout: $run/$1.stdout)"
    }

    job check-before rollout.yml "--check --diff"
    expect check-before status == successful; expect check-before changed ">=" 1
    job apply rollout.yml "--diff"
    expect apply status == successful; expect apply changed ">=" 1
    job check-after rollout.yml "--check --diff"
    expect check-after status == successful; expect check-after changed == 0
    job drift drift.yml
    expect drift status == successful; expect drift changed == 0
    local w
    for w in check-before apply check-after drift; do
        [ "$(field "$w" warnings)" = "[]" ] || fail "$w: warnings in the job output (above)"
    done
    # the drift job's set_stats artifacts (docs/awx.md): a compliant fleet hands on no host
    python3 - "$run/drift-out/summary.json" <<'EOF'
import json, sys
artifacts = json.load(open(sys.argv[1]))["artifacts"]
drift = artifacts.get("fleetpolicy_claude_code_drift") or {}
if artifacts.get("claude_code_hosts") != "!all" or drift.get("not_compliant") != [] or not drift.get("summary"):
    sys.exit("ee: FAIL: the drift job's artifacts are not what an AWX workflow expects: %s" % json.dumps(artifacts))
print("drift artifacts: claude_code_hosts=%s, %s" % (artifacts["claude_code_hosts"], drift["summary"].get("line")))
EOF
    local report
    report=$(find "$run/drift-out/artifacts" -path '*/drift-report/*.json' 2>/dev/null | head -n 1)
    [ -n "$report" ] || fail "no drift report in the job's artifacts ($run/drift-out/artifacts/)"
    python3 - "$report" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
text = json.dumps(report)
print("drift report %s: %s" % (sys.argv[1].split("/.cache/")[-1], (report.get("summary") or {}).get("line") or text[:160]))
EOF
    log "rollout and drift ran in $EE_IMAGE against a target reachable only over SSH on loopback"
}

case "${1:-}" in
    build) build ;;
    run) run ;;
    test) build; run ;;
    *) sed -n '2,19p' "$0" >&2; exit 2 ;;
esac
