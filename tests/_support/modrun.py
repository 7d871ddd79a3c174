"""Run the managed_settings module in-process and return its result dict.

run() takes the module's own arguments, plus two conveniences that do what the apply action does
on the controller: `shells` (a list) renders `exports` from settings.env with the policy core's
shell renderer (credential-looking entries left out, as the action leaves them out), and
`mode` (replace|merge) stands for `merge`. A refusal of the renderer comes back as a failed
result, as the action returns it.
"""

import contextlib
import io
import json

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils._secrets import looks_like_secret
from ansible_collections.fleetpolicy.claude_code.plugins.modules import managed_settings
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _shells
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import PolicyError


@contextlib.contextmanager
def _module_args(args):
    try:
        from ansible.module_utils.testing import patch_module_args  # ansible-core >= 2.19
    except ImportError:
        patch_module_args = None
    if patch_module_args is not None:
        with patch_module_args(args):
            yield
        return
    old = basic._ANSIBLE_ARGS
    basic._ANSIBLE_ARGS = to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args}))
    try:
        yield
    finally:
        basic._ANSIBLE_ARGS = old


def as_action(args):
    """The module arguments the apply action would pass for these test arguments."""
    args = dict(args)
    if "mode" in args:
        args["merge"] = args.pop("mode") == "merge"
    if "shells" in args:
        shells = args.pop("shells")
        env = dict((args.get("settings") or {}).get("env") or {})
        if args.get("state", "present") == "present":
            rc_env = {k: v for k, v in env.items() if isinstance(v, str) and not looks_like_secret(k, v)}
            args["exports"] = _shells.render(rc_env, shells)
        else:
            args["exports"] = dict.fromkeys(shells)
    return args


def ansible_module(check=False):
    """A real AnsibleModule with no options, for the module_utils that take one."""
    with _module_args({"_ansible_check_mode": check}):
        return basic.AnsibleModule(argument_spec={}, supports_check_mode=True)


def run_main(main, args, check=False, diff=False):
    """Any module's main() in-process with these arguments; its result dict."""
    args = dict(args)
    args["_ansible_check_mode"] = check
    args["_ansible_diff"] = diff
    out = io.StringIO()
    with _module_args(args), contextlib.redirect_stdout(out):
        try:
            main()
        except SystemExit:
            pass
    return as_shown(json.loads(out.getvalue()))


# What ansible-core 2.22's controller shows in place of a registered secret (module_utils/secrets.py).
MASKED = "$REDACTED$"


def as_shown(result):
    """The result as the controller takes it. ansible-core 2.22 no longer masks no_log values in
    `invocation` on the host: the module lists the values it saw under `_ansible_new_secrets`, and
    the controller registers them and masks them wherever it shows them (ansible/_internal/_task.py,
    _from_result_dict). So the list is dropped and those values are masked in `invocation` only; a
    value anywhere else is still the module's own leak."""
    registered = result.pop("_ansible_new_secrets", None)
    if registered and "invocation" in result:
        text = json.dumps(result["invocation"])
        for value in sorted(registered, key=len, reverse=True):
            text = text.replace(json.dumps(value)[1:-1], MASKED)
        result["invocation"] = json.loads(text)
    return result


def run(args, check=False, diff=False):
    try:
        args = as_action(args)
    except PolicyError as exc:
        return {"failed": True, "changed": False, "msg": exc.message}
    return run_main(managed_settings.main, args, check, diff)
