"""The filters call the same core as the module and turn refusals into AnsibleFilterError."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.fleetpolicy.claude_code.plugins.filter.policy import FilterModule

FILTERS = FilterModule().filters()
POLICY = {
    "provider": "vertex",
    "vertex_project_id": "acme-ml-prod",
    "vertex_region": "us-east5",
    "profile": "airgapped",
}


def test_filter_names_are_the_contract():
    assert sorted(FILTERS) == ["egress", "env_block", "managed_settings", "posture", "purge_keys", "shell_exports"]


def test_filters_give_the_policy_s_values():
    assert FILTERS["egress"](POLICY) == ["us-east5-aiplatform.googleapis.com"]
    env = FILTERS["env_block"](POLICY)
    assert env["CLAUDE_CODE_USE_VERTEX"] == "1" and env["CLOUD_ML_REGION"] == "us-east5"
    assert FILTERS["managed_settings"](POLICY)["allowedProviders"] == ["vertex"]
    assert FILTERS["posture"](POLICY)["traffic"]["webfetch_check"]["enabled"] is False
    text = FILTERS["shell_exports"](env, "bash")
    assert "export CLAUDE_CODE_USE_VERTEX='1'" in text


def test_shell_exports_checks_the_names_it_is_given():
    with pytest.raises(AnsibleFilterError) as err:
        FILTERS["shell_exports"]({"DISABLE_TELEMTRY": "1"}, "bash")
    assert "did you mean DISABLE_TELEMETRY?" in str(err.value)


@pytest.mark.parametrize("name", ["env_block", "managed_settings", "posture", "egress"])
def test_filter_errors_name_filter_and_field(name):
    with pytest.raises(AnsibleFilterError) as err:
        FILTERS[name]({"provider": "vertex", "vertex_region": "us-east5"})
    assert f"fleetpolicy.claude_code.{name}" in str(err.value)
    assert "vertex_project_id" in str(err.value)


def test_shell_exports_error():
    with pytest.raises(AnsibleFilterError) as err:
        FILTERS["shell_exports"]({"X": "a$b"}, "environment_d")
    assert "env.X" in str(err.value)


def test_purge_keys_removes_what_a_weaker_profile_no_longer_sets():
    keys = FILTERS["purge_keys"]({"provider": "anthropic", "plan": "team", "profile": "standard"})
    assert "env.DISABLE_TELEMETRY" in keys and "skipWebFetchPreflight" in keys and "env.CLAUDE_CODE_USE_BEDROCK" in keys
    keys = FILTERS["purge_keys"](POLICY)
    assert "env.CLAUDE_CODE_USE_VERTEX" not in keys and "skipWebFetchPreflight" not in keys
    assert "env.CLAUDE_CODE_USE_BEDROCK" in keys
