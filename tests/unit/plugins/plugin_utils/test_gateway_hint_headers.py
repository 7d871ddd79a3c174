"""The policy field gateway_hint_headers (role variable claude_code_gateway_hint_headers): it writes
CLAUDE_CODE_GATEWAY_HINT_HEADERS in the managed env block, and the credential heuristics do not take
that switch (or any other name the CLI reads as a boolean or a number) for a credential. The apply
action's side: tests/unit/plugins/action/test_apply_action.py."""

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _layout as L
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _secrets as S
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _facts as F
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _names as N
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import PolicyError, compute

GATEWAY = {"provider": "anthropic", "plan": "api", "base_url": "https://llm-gateway.example.com"}
SWITCH = "CLAUDE_CODE_GATEWAY_HINT_HEADERS"


@pytest.mark.parametrize("value, written", [(True, "1"), (False, "0"), (None, None)])
def test_the_field_writes_the_switch_in_the_managed_env(value, written):
    out = compute(dict(GATEWAY, gateway_hint_headers=value))
    assert out["env"].get(SWITCH) == written
    assert out["settings"]["env"].get(SWITCH) == written
    # not a credential: the rc exports carry it like any other variable
    assert out["rc_env"].get(SWITCH) == written
    assert SWITCH in F.OWNED_ENV
    if written is None:
        assert f"env.{SWITCH}" in compute(dict(GATEWAY, gateway_hint_headers=value))["purge"]


def test_the_switch_in_extra_env_is_not_refused_as_a_credential():
    out = compute(dict(GATEWAY, env={SWITCH: True}))
    assert out["env"][SWITCH] == "1" and out["rc_env"][SWITCH] == "1"
    assert compute(dict(GATEWAY, gateway_hint_headers=True, env={SWITCH: "1"}))["env"][SWITCH] == "1"
    with pytest.raises(PolicyError) as err:
        compute(dict(GATEWAY, gateway_hint_headers=True, env={SWITCH: "0"}))
    assert "conflicts with gateway_hint_headers" in str(err.value)
    with pytest.raises(PolicyError) as err:
        compute(dict(GATEWAY, gateway_hint_headers="yes"))
    assert err.value.field == "gateway_hint_headers"
    # a real header list is still a credential
    with pytest.raises(PolicyError):
        compute(dict(GATEWAY, env={"ANTHROPIC_CUSTOM_HEADERS": "Authorization: Bearer x"}))


def test_the_names_the_credential_pattern_spares_are_the_ones_the_cli_reads_as_booleans_or_numbers():
    typed = {name for name, record in N.ENV_VARS.items() if record["type"] in ("bool", "int")}
    # every switch or number whose words say credential is spared, and only such names are
    assert {name for name in typed if S.credential_words(name)} <= set(L.NOT_SECRET_NAMES) <= typed
    assert not any(S.secret_name(name) for name in L.NOT_SECRET_NAMES)
    assert S.secret_name("ANTHROPIC_CUSTOM_HEADERS") and S.secret_name("OTEL_EXPORTER_OTLP_HEADERS")
