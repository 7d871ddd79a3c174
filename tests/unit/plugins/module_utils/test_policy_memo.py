"""compute() remembers results by policy (a fleet's hosts share a few policies). The memo must be
invisible: the same result as a first computation, a result the caller owns, and no result shared
between policies that compute() tells apart (True and 1, 1 and 1.0, a list and a tuple, key order,
a vaulted value and its text)."""
import copy
import itertools

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _facts as F
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _policy as P
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils._policy import PolicyError, compute

PARAMS = {
    "anthropic": {"plan": "team"},
    "bedrock": {"aws_region": "eu-west-1"},
    "vertex": {"vertex_project_id": "acme-ml-prod", "vertex_region": "europe-west1"},
    "foundry": {"foundry_resource": "acme-ai"},
}


def _policies():
    out = []
    for provider, profile in itertools.product(F.PROVIDERS, F.PROFILES):
        out.append(dict(PARAMS[provider], provider=provider, profile=profile))
    out.append({"provider": "anthropic", "plan": "enterprise", "base_url": "https://gw.example.com",
                "env": {"CLAUDE_CODE_ENABLE_TELEMETRY": 1, "OTEL_EXPORTER_OTLP_ENDPOINT": "https://otel.example.com:4318"},
                "settings": {"permissions": {"deny": ["WebFetch"], "allow": ["Read"]}, "cleanupPeriodDays": 9,
                             "hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "x"}]}]}}})
    out.append({"provider": "anthropic", "plan": "api", "allow_secrets": True, "env": {"ANTHROPIC_API_KEY": "sk-ant-abcdefghijkl"}})
    return out


@pytest.fixture(autouse=True)
def _empty_memo():
    P._clear_memo()
    yield
    P._clear_memo()


def _containers(value, found):
    if isinstance(value, (dict, list)):
        found.append(value)
        for item in (value.values() if isinstance(value, dict) else value):
            _containers(item, found)
    return found


@pytest.mark.parametrize("policy", _policies())
def test_a_remembered_result_is_the_first_one(policy):
    first = compute(policy)
    pristine = copy.deepcopy(first)
    assert compute(copy.deepcopy(policy)) == pristine
    assert compute(policy) == pristine
    P._clear_memo()
    assert compute(policy) == pristine


@pytest.mark.parametrize("policy", _policies())
def test_every_result_is_the_callers_own(policy):
    expected = copy.deepcopy(compute(policy))
    for _round in range(3):  # first sight, then remembered results
        result = compute(policy)
        assert result == expected
        for container in _containers(result, []):  # change every dict and list the caller got
            if isinstance(container, dict):
                container["changed-by-caller"] = [1]
            else:
                container.append("changed-by-caller")
    assert compute(policy) == expected


@pytest.mark.parametrize("policy", _policies())
def test_remembered_results_have_the_same_shape(policy):
    for result in (compute(policy), compute(policy)):
        assert result["env"] is result["settings"]["env"]
        assert result["egress"] is result["posture"]["egress"]
    one, two = compute(policy), compute(policy)
    ids_one = set(id(c) for c in _containers(one, []))
    assert not ids_one & set(id(c) for c in _containers(two, []))
    assert P._fresh(one) == one


def test_values_compute_tells_apart_get_their_own_result():
    base = {"provider": "anthropic", "plan": "team"}
    envs = [({"BASH_DEFAULT_TIMEOUT_MS": True}, "1"), ({"BASH_DEFAULT_TIMEOUT_MS": 1}, "1"),
            ({"BASH_DEFAULT_TIMEOUT_MS": 1.0}, "1.0"), ({"BASH_DEFAULT_TIMEOUT_MS": 0.0}, "0.0"),
            ({"BASH_DEFAULT_TIMEOUT_MS": -0.0}, "-0.0"), ({"BASH_DEFAULT_TIMEOUT_MS": "1"}, "1")]
    for _round in range(2):
        for env, want in envs:
            assert compute(dict(base, env=env))["env"]["BASH_DEFAULT_TIMEOUT_MS"] == want

    assert compute(dict(base, allow_secrets=True))["policy"]["allow_secrets"] is True
    with pytest.raises(PolicyError):
        compute(dict(base, allow_secrets=1))  # 1 == True, but compute() refuses it

    assert compute(dict(base, settings={"availableModels": ["opus"]}))["settings"]["availableModels"] == ["opus"]
    with pytest.raises(PolicyError):
        compute(dict(base, settings={"availableModels": ("opus",)}))  # a tuple is not a list here

    one = compute(dict(base, settings={"model": "opus", "cleanupPeriodDays": 3}))
    two = compute(dict(base, settings={"cleanupPeriodDays": 3, "model": "opus"}))
    assert list(one["settings"]) != list(two["settings"])  # the file keeps the policy's key order


def test_a_vaulted_value_is_refused_after_its_text_was_accepted():
    class VaultedText(str):  # what a vaulted string looks like to the core (type name holds "Vault")
        pass

    policy = {"provider": "anthropic", "plan": "team", "settings": {"model": "opus"}}
    assert compute(policy)["settings"]["model"] == "opus"
    with pytest.raises(PolicyError, match="vault"):
        compute({"provider": "anthropic", "plan": "team", "settings": {"model": VaultedText("opus")}})


def test_text_subclasses_give_the_plain_result():
    class Tagged(str):  # ansible-core's tagged strings are str subclasses: computed, not memoised
        pass

    plain = {"provider": "bedrock", "aws_region": "eu-west-1", "profile": "private"}
    tagged = dict((k, Tagged(v)) for k, v in plain.items())
    assert compute(tagged) == compute(plain)
    assert all(type(v) is str for v in compute(tagged)["env"].values())  # pylint: disable=unidiomatic-typecheck


def test_errors_are_not_remembered():
    bad = {"provider": "anthropic", "plan": "nope"}
    for _round in range(2):
        with pytest.raises(PolicyError, match="plan"):
            compute(bad)
    assert not P._MEMO


def test_postures_follow_the_settings_they_read():
    base = {"provider": "anthropic", "plan": "team"}
    on = compute(dict(base, settings={"feedbackSurveyRate": 0.5}))["posture"]["traffic"]["surveys"]["enabled"]
    off = compute(dict(base, settings={"feedbackSurveyRate": 0}))["posture"]["traffic"]["surveys"]["enabled"]
    assert (on, off) == (True, False)
    checked = compute(dict(base, settings={"skipWebFetchPreflight": False}))["posture"]["traffic"]["webfetch_check"]["enabled"]
    skipped = compute(dict(base, settings={"skipWebFetchPreflight": True}))["posture"]["traffic"]["webfetch_check"]["enabled"]
    assert (checked, skipped) == (True, False)
    otel = {"CLAUDE_CODE_ENABLE_TELEMETRY": "1"}
    one = compute(dict(base, env=dict(otel, OTEL_EXPORTER_OTLP_ENDPOINT="https://a.example.com")))["egress"]
    two = compute(dict(base, env=dict(otel, OTEL_EXPORTER_OTLP_ENDPOINT="https://b.example.com")))["egress"]
    assert "a.example.com" in one and "b.example.com" in two and "a.example.com" not in two


def test_the_memo_is_bounded():
    for i in range(P._MEMO_MAX + 10):
        compute({"provider": "anthropic", "plan": "team", "settings": {"cleanupPeriodDays": i + 1}})
    assert 0 < len(P._MEMO) <= P._MEMO_MAX
    assert 0 < len(P._POSTURES) <= P._MEMO_MAX


def test_postures_see_every_variable_they_read():
    """_posture() gets only the _POSTURE_ENV variables: a name it reads that the tuple misses
    would always look unset. Every variable name in its source must be in the tuple."""
    import inspect
    import re
    names = set(re.findall(r'"((?:CLAUDE_CODE|DISABLE|DO_NOT|OTEL)_[A-Z_]+)"', inspect.getsource(P._posture)))
    assert names and names <= set(P._POSTURE_ENV), sorted(names - set(P._POSTURE_ENV))


@pytest.mark.parametrize("name", P._POSTURE_ENV)
def test_each_posture_variable_changes_some_posture(name):
    """...and each one matters: setting it changes the posture of a standard Pro host."""
    # the OpenTelemetry pair matters only together: each is tested with the other one set
    partner = {"OTEL_EXPORTER_OTLP_ENDPOINT": {"CLAUDE_CODE_ENABLE_TELEMETRY": "1"},
               "CLAUDE_CODE_ENABLE_TELEMETRY": {"OTEL_EXPORTER_OTLP_ENDPOINT": "https://otel.example.com:4318"}}
    base = {"provider": "anthropic", "plan": "pro", "profile": "standard", "env": partner.get(name, {})}
    value = "https://otel.example.com:4318" if name == "OTEL_EXPORTER_OTLP_ENDPOINT" else "1"
    changed = dict(base, env=dict(base["env"], **{name: value}))
    assert compute(changed)["posture"] != compute(base)["posture"]
