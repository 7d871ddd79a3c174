"""Run the managed_settings module in-process and return its result dict."""
import contextlib
import io
import json

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

from ansible_collections.fleetpolicy.claude_code.plugins.modules import managed_settings


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


def run(args, check=False, diff=False):
    args = dict(args)
    args["_ansible_check_mode"] = check
    args["_ansible_diff"] = diff
    out = io.StringIO()
    with _module_args(args), contextlib.redirect_stdout(out):
        try:
            managed_settings.main()
        except SystemExit:
            pass
    return json.loads(out.getvalue())
