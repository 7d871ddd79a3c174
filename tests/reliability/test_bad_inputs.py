"""The bad input catalogue (data/bad_inputs.yml): every case is refused with one message naming the
field (and the host, through the role), and the target files are byte-identical afterwards."""

from __future__ import annotations

import copy
import json
import os
import re
import textwrap

import pytest
import yaml

from ansible_collections.fleetpolicy.claude_code.tests._support.playbook import run_playbook

from ._helpers import DATA, ansible_env, figure, rc_paths, run_module, tool, tree_digest

VAULT_PASSWORD = "reliability-tests-only"
_VAULT = re.compile(r"@VAULT\((.*?)\)@")

with open(os.path.join(DATA, "bad_inputs.yml")) as _handle:
    CASES = yaml.safe_load(_handle)["cases"]


def _ids(layer):
    return [c for c in CASES if c["layer"] == layer]


def test_catalogue_shape():
    """At least 40 distinct cases over all four layers, each with a field to name."""
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert len(ids) >= 40
    assert {c["layer"] for c in CASES} == {"policy", "filter", "module", "role"}
    for case in CASES:
        assert case.get("field"), case["id"]
        assert "input" in case, case["id"]


# ------------------------------------------------------------------------------ helpers


def _expand(value, expands):
    value = copy.deepcopy(value)
    for spec in expands or ():
        parts = spec["at"].split(".")
        node = value
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        if "entries" in spec:
            node[parts[-1]] = {"CLAUDE_CODE_X%d" % i: "1" for i in range(spec["entries"])}
        elif "codepoints" in spec:
            node[parts[-1]] = "".join(chr(c) for c in spec["codepoints"])
        elif "nest" in spec:
            nested = 1
            for _level in range(spec["nest"]):
                nested = [nested]
            node[parts[-1]] = nested
        else:
            node[parts[-1]] = spec["repeat"] * spec["times"]
    return value


def _vault_lib():
    from ansible.parsing.vault import VaultLib, VaultSecret

    return VaultLib([("default", VaultSecret(VAULT_PASSWORD.encode()))])


def _vault_tagged(plaintext):
    """What a filter receives for a `!vault` value in ansible-core >= 2.19: a str tagged VaultedValue."""
    vault = _vault_lib()
    ciphertext = vault.encrypt(plaintext).decode()
    try:
        from ansible.parsing.vault import VaultedValue
    except ImportError:  # ansible-core < 2.19: the encrypted object itself
        from ansible.parsing.yaml.objects import AnsibleVaultEncryptedUnicode

        obj = AnsibleVaultEncryptedUnicode(ciphertext)
        obj.vault = vault
        return obj
    return VaultedValue(ciphertext=ciphertext).tag(plaintext)


def _replace_vault_markers(value):
    if isinstance(value, dict):
        return {k: _replace_vault_markers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_vault_markers(v) for v in value]
    if isinstance(value, str):
        match = _VAULT.fullmatch(value)
        if match:
            return _vault_tagged(match.group(1))
    return value


def _seed_tree(root):
    """A host's files as a previous good run left them, plus another tool's line in bash.bashrc."""
    from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import compute

    policy = {"provider": "anthropic", "plan": "team", "profile": "private"}
    doc = compute(policy)["settings"]
    paths = rc_paths(root)
    os.makedirs(root, exist_ok=True)
    with open(paths["bash"], "w") as handle:
        handle.write("# the distribution's bash.bashrc\nalias ll='ls -l'\n")
    res = run_module(
        {
            "path": os.path.join(root, "claude-code", "managed-settings.json"),
            "settings": doc,
            "shells": list(paths),
            "shell_paths": paths,
            "os_family": "Debian",
        }
    )
    assert res.get("changed") and not res.get("failed"), res
    return doc


_INTERNAL = ("_AnsibleTagged", "<class ", "NoneType")


def _says(case, message):
    """The message holds what the case says it must, nothing it must hide, and no internal type."""
    return (
        all(text in message for text in case.get("says") or ())
        and not any(text in message for text in case.get("hides") or ())
        and not any(text in message for text in _INTERNAL)
    )


def _count(case, refused, changed):
    figure("bad:tried")
    figure("bad:layer:" + case["layer"])
    figure("bad:refused" if refused else "bad:accepted")
    if changed:
        figure("bad:files_changed")


# ------------------------------------------------------------------------------- policy


@pytest.mark.parametrize("case", _ids("policy"), ids=lambda c: c["id"])
def test_policy_refuses(case, tmp_path):
    from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import PolicyError, compute

    root = str(tmp_path / "etc")
    _seed_tree(root)
    before = tree_digest(root)
    policy = _expand(case["input"], case.get("expand"))
    refused = False
    message = ""
    try:
        compute(policy)
    except PolicyError as exc:
        refused = exc.field == case["field"] or exc.field.startswith((case["field"] + "[", case["field"] + "."))
        message = exc.message
        assert f"'{exc.field}'" in message, message
        assert "\n" not in message, f"one line: {message!r}"
    changed = tree_digest(root) != before
    refused = refused and _says(case, message)
    _count(case, refused, changed)
    assert refused, "{}: not refused (or refused naming another field, or without {!r})".format(
        case["id"], case.get("says")
    )
    assert not changed


# ------------------------------------------------------------------------------ filters


@pytest.mark.parametrize("case", _ids("filter"), ids=lambda c: c["id"])
def test_filter_refuses(case, tmp_path):
    from ansible.errors import AnsibleFilterError

    from ansible_collections.fleetpolicy.claude_code.plugins.filter.policy import FilterModule

    root = str(tmp_path / "etc")
    _seed_tree(root)
    before = tree_digest(root)
    spec = case["input"]
    func = FilterModule().filters()[spec["filter"]]
    args = _replace_vault_markers(_expand(spec["args"], case.get("expand")))
    refused = False
    output = None
    try:
        output = func(*args)
    except AnsibleFilterError as exc:
        message = str(exc)
        refused = (
            case["field"] in message
            and ("fleetpolicy.claude_code.{}".format(spec["filter"])) in message
            and _says(case, message)
        )
        assert refused, message
        for plain in _VAULT.findall(json.dumps(spec["args"])) + list(case.get("hides") or ()):
            assert plain not in message, "the error shows the vaulted plaintext"
    changed = tree_digest(root) != before
    _count(case, refused, changed)
    assert refused, "{}: accepted, returned {!r}".format(case["id"], output)
    assert not changed


# ------------------------------------------------------------------------------- module


def _fill(value, root):
    if isinstance(value, dict):
        return {k: _fill(v, root) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, root) for v in value]
    if isinstance(value, str):
        return value.replace("@ROOT@", root)
    return value


@pytest.mark.parametrize("case", _ids("module"), ids=lambda c: c["id"])
def test_module_refuses(case, tmp_path):
    root = str(tmp_path / "etc")
    _seed_tree(root)
    before = tree_digest(root)
    exports = dict.fromkeys(rc_paths(root), "export CLAUDE_CODE_CATALOGUE='1'\n")
    args = {
        "path": os.path.join(root, "claude-code", "managed-settings.json"),
        "os_family": "Debian",
        "exports": exports,
        "shell_paths": rc_paths(root),
    }
    args.update(_fill(_expand(case["input"], case.get("expand")), root))
    res = run_module(args, diff=True)
    message = res.get("msg", "")
    refused = bool(res.get("failed")) and case["field"] in message and _says(case, json.dumps(res))
    changed = tree_digest(root) != before
    _count(case, refused, changed)
    assert res.get("failed"), "{}: accepted: {!r}".format(case["id"], res)
    assert case["field"] in message, message
    assert not changed
    assert not res.get("changed")


# --------------------------------------------------------------------------------- role

GOOD_HOST = "good"


def _role_host_text(case, root):
    text = case["input"].replace("@ROOT@", root)
    vault = _vault_lib()

    def block(match):
        # The marker stands on its own line, indented under `!vault |`: put the ciphertext there.
        line_start = text.rfind("\n", 0, match.start()) + 1
        indent = text[line_start : match.start()]
        lines = vault.encrypt(match.group(1)).decode().splitlines()
        return ("\n" + indent).join(lines)

    return _VAULT.sub(block, text)


def _base_vars(root, python, case_text=""):
    base = {
        "ansible_connection": "local",
        "claude_code_settings_cli_account": "root",  # pytest's folders are closed to other accounts: Claude Code runs as root on these test hosts.
        "ansible_python_interpreter": python,
        "claude_code_settings_path": os.path.join(root, "claude-code", "managed-settings.json"),
        "claude_code_settings_shells": ["sh", "bash", "zsh", "fish", "environment_d"],
        "claude_code_settings_shell_paths": rc_paths(root),
    }
    if "claude_code_provider:" not in case_text:
        base.update(claude_code_provider="anthropic", claude_code_plan="team")
    return base


@pytest.fixture(scope="module")
def role_run(tmp_path_factory):
    """ONE ansible-playbook run: a good host plus one host per role case (forks 8)."""
    import sys

    playbook_bin = tool("ansible-playbook")
    base = tmp_path_factory.mktemp("role-catalogue")
    inv = base / "inventory"
    (inv / "host_vars").mkdir(parents=True)
    hosts = {}
    roots = {}
    texts = {c["id"]: c["input"] for c in _ids("role")}
    for name in [GOOD_HOST] + list(texts):
        roots[name] = str(base / "hosts" / name)
        _seed_tree(roots[name])
        hosts[name] = _base_vars(roots[name], sys.executable, texts.get(name, ""))
    for case in _ids("role"):
        (inv / "host_vars" / ("{}.yml".format(case["id"]))).write_text(_role_host_text(case, roots[case["id"]]))
    (inv / "hosts.yml").write_text(yaml.safe_dump({"all": {"hosts": hosts}}))
    (base / "vault-pass").write_text(VAULT_PASSWORD + "\n")
    (base / "site.yml").write_text(
        textwrap.dedent("""\
        - name: Apply the settings role to every host of the catalogue
          hosts: all
          gather_facts: false
          tasks:
            # As playbooks/rollout.yml calls it: the apply action's messages, not Ansible's
            # own validation of the role's argument spec (docs/design.md).
            - name: Apply the settings role
              ansible.builtin.import_role:
                name: fleetpolicy.claude_code.settings
                rolespec_validate: false
        """)
    )
    before = {name: tree_digest(root) for name, root in roots.items()}
    proc = run_playbook(
        [
            playbook_bin,
            "-i",
            str(inv),
            str(base / "site.yml"),
            "--forks",
            "8",
            "--vault-password-file",
            str(base / "vault-pass"),
        ],
        cwd=str(base),
        env=ansible_env(),
        merge_stderr=False,
    )
    after = {name: tree_digest(root) for name, root in roots.items()}
    return {
        "proc": proc,
        "fatal": proc.fatal,
        "recap": proc.recap,
        "before": before,
        "after": after,
        "roots": roots,
    }


def test_role_good_host_converges(role_run):
    from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import compute

    proc, recap = role_run["proc"], role_run["recap"]
    good = recap.get(GOOD_HOST, {})
    assert (good.get("changed"), good.get("unreachable"), good.get("failed")) == (1, 0, 0), proc.output[-3000:]
    assert GOOD_HOST not in role_run["fatal"]
    root = role_run["roots"][GOOD_HOST]
    with open(os.path.join(root, "claude-code", "managed-settings.json")) as handle:
        written = json.load(handle)
    assert written == compute({"provider": "anthropic", "plan": "team"})["settings"]
    assert proc.returncode == 2, "the bad hosts failed, so the run must say so"


@pytest.mark.parametrize("case", _ids("role"), ids=lambda c: c["id"])
def test_role_refuses(case, role_run):
    host = case["id"]
    failures = role_run["fatal"].get(host, [])
    messages = [f.get("msg", "") + " " + json.dumps(f.get("argument_errors", "")) for f in failures]
    refused = len(failures) == 1 and case["field"] in messages[0] and _says(case, messages[0])
    changed = role_run["before"][host] != role_run["after"][host]
    _count(case, refused, changed)
    assert failures, "{}: accepted (recap {!r})".format(host, role_run["recap"].get(host))
    assert len(failures) == 1, failures
    assert case["field"] in messages[0], messages[0]
    assert _says(case, messages[0]), (case.get("says"), messages[0])
    assert "\n" not in failures[0].get("msg", ""), "one line"
    assert "option '" not in messages[0], "the role's variable is named, never the action's option"
    assert role_run["recap"][host]["failed"] == 1 and role_run["recap"][host]["changed"] == 0
    assert not changed, f"files of {host} changed"
    for plain in _VAULT.findall(case["input"]) + list(case.get("hides") or ()):
        assert plain not in role_run["proc"].output + role_run["proc"].stderr, "vaulted plaintext or a credential shown"
