# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one credential rule (module_utils/_secrets.py): what is a credential by name and by look,
what is not (switches, variable references, names about a credential), how it is masked (a URL
keeps its scheme and host), described instead of quoted, split out for the no_log option, and
how host text is made printable."""

from __future__ import annotations

import json

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _secrets as S
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _names as N


@pytest.mark.parametrize(
    "name,secret",
    [
        ("ANTHROPIC_API_KEY", True),
        ("AWS_ACCESS_KEY_ID", True),
        ("AWS_SESSION_TOKEN", True),
        ("GH_TOKEN", True),
        ("CLAUDE_CODE_OAUTH_REFRESH_TOKEN", True),
        ("OTEL_EXPORTER_OTLP_HEADERS", True),
        ("apiKey", True),
        ("password", True),
        ("Authorization", True),
        ("Proxy-Authorization", True),
        ("X-Api-Key", True),
        ("client_secret", True),
        ("bearerToken", True),
        # about a credential, not one: a command, a duration, a path, a name
        ("apiKeyHelper", False),
        ("awsCredentialExport", False),
        ("otelHeadersHelper", False),
        ("CLAUDE_CODE_API_KEY_HELPER_TTL_MS", False),
        ("tokenFile", False),
        ("secretName", False),
        ("privateKeyPath", False),
        ("MAX_THINKING_TOKENS", False),
        ("CLAUDE_CODE_MAX_OUTPUT_TOKENS", False),
        ("X-Tenant", False),
    ],
)
def test_credential_names(name, secret):
    assert S.secret_name(name) is secret


@pytest.mark.parametrize(
    "value,kind",
    [
        ("http://proxyuser:PROXYPASS@proxy.example.com:3128", "a URL with a password in its user part"),
        ("https://u:p@ss@host.example.com/path@x", "a URL with a password in its user part"),
        ("https://:token@host.example.com", "a URL with a password in its user part"),
        ("Bearer abcdefghijklmnop", "an Authorization value (Bearer or Basic)"),
        ("Authorization=Basic dXNlcjpwYXNzd29yZA==", "an Authorization value (Bearer or Basic)"),
        ("https://otel.example.com/v1/traces?api_key=abc123", "a URL with a credential in its query"),
        ("sk-ant-api03-abcdefghijkl", "an Anthropic API key"),
        ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig_nature-part", "a JSON Web Token"),
        ("http://proxy.example.com:3128", None),
        ("ssh://git@github.com/org/repo", None),  # a user name alone is not a credential
        ("npm:lodash@4", None),
        ("Bearer ${API_TOKEN}", None),
        ("https://llm-gateway.example.com", None),
    ],
)
def test_credential_values(value, kind):
    assert S.secret_kind(value) == kind


def test_a_switch_or_a_variable_reference_is_never_a_credential():
    # the names table types CLAUDE_CODE_GATEWAY_HINT_HEADERS as a switch: its _HEADERS suffix is no alarm
    assert N.ENV_VARS["CLAUDE_CODE_GATEWAY_HINT_HEADERS"]["type"] == "bool"
    assert S.credential_words("CLAUDE_CODE_GATEWAY_HINT_HEADERS") and not S.secret_name(
        "CLAUDE_CODE_GATEWAY_HINT_HEADERS"
    )
    for value in ("1", "0", "true", "false"):
        assert not S.looks_like_secret("CLAUDE_CODE_GATEWAY_HINT_HEADERS", value)
        assert not S.looks_like_secret("SOME_TOKEN", value)  # a switch value, whatever the name
    assert S.looks_like_secret("CLAUDE_CODE_GATEWAY_HINT_HEADERS", "sk-ant-api03-abcdefghijkl")  # by its look
    assert not S.looks_like_secret("Authorization", "Bearer ${API_TOKEN}")
    assert S.looks_like_secret("Authorization", "Bearer abc")  # short, but under a credential name
    assert S.looks_like_secret("ANTHROPIC_API_KEY", "x")
    assert not S.looks_like_secret("CLAUDE_CODE_API_KEY_HELPER_TTL_MS", "300000")


def test_masking_keeps_what_is_not_a_credential():
    doc = {
        "env": {"ANTHROPIC_API_KEY": "abc", "HTTPS_PROXY": "http://u:pw@proxy:3128", "DISABLE_TELEMETRY": "1"},
        "x": {"apiKey": "k", "headers": {"Authorization": "Bearer abcdefghijk", "X-Tenant": "acme"}, "n": 3},
        "apiKeyHelper": "/usr/local/bin/get-key",
        "announce": ["key: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.signature"],
    }
    masked = S.mask_document(doc)
    assert masked["env"] == {
        "ANTHROPIC_API_KEY": S.MASK,
        "HTTPS_PROXY": "http://********@proxy:3128",
        "DISABLE_TELEMETRY": "1",
    }
    assert masked["x"] == {"apiKey": S.MASK, "headers": {"Authorization": S.MASK, "X-Tenant": "acme"}, "n": 3}
    assert masked["apiKeyHelper"] == "/usr/local/bin/get-key"
    assert masked["announce"] == ["key: " + S.MASK]  # the whole token, signature included
    assert doc["x"]["apiKey"] == "k"  # a copy
    assert S.mask_keyed("env.HTTPS_PROXY", "http://u:pw@p:1") == "http://********@p:1"
    assert (
        S.mask_secrets("-----BEGIN RSA PRIVATE KEY-----\nMIIabc\n-----END RSA PRIVATE KEY-----\nend")
        == S.MASK + "\nend"
    )
    assert S.collect(doc, set()) == {
        "abc",
        "http://u:pw@proxy:3128",
        "k",
        "Bearer abcdefghijk",
        "key: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.signature",
    }


def test_a_refused_value_is_described_not_quoted():
    text = S.describe("http://proxyuser:PROXYPASS@proxy.example.com:3128", "HTTPS_PROXY")
    assert text == "a URL with a password in its user part (49 characters; not shown)"
    assert S.describe("hunter22", "password") == "a value under a credential name (8 characters; not shown)"
    nested = S.describe({"db": {"password": "hunter22"}, "n": 1})
    assert "hunter22" not in nested and "under db" in nested


def test_split_and_join_move_every_credential_to_the_no_log_option():
    doc = {"env": {"ANTHROPIC_API_KEY": "sk-ant-api03-abcdefghijkl", "A/B~C": "1"}, "t": [{"password": "pw"}]}
    sent, secrets = S.split(doc)
    assert secrets == {"/env/ANTHROPIC_API_KEY": "sk-ant-api03-abcdefghijkl", "/t/0/password": "pw"}
    assert "sk-ant" not in json.dumps(sent) and "pw" not in json.dumps(sent["t"])
    assert S.join(sent, secrets) is None and sent == doc
    assert S.join({"env": {}}, {"/env/X": "v"}) == "secrets: /env/X names no placeholder (********) in settings"
    assert S.pointer(["a/b", "c~d", 0]) == "/a~1b/c~0d/0"


def test_host_text_is_printable():
    assert S.printable("50-\x1b[31mred\x1b[0m.json") == "50-\\x1b[31mred\\x1b[0m.json"
    assert S.printable("evil\u202etxt.json") == "evil\\u202etxt.json"
    assert S.printable(b"50-\xff.json".decode("utf-8", "surrogateescape")) == "50-\\xff.json"
    assert S.printable("plain/path-ok.json") == "plain/path-ok.json"
    assert S.shown({"k": ["a\x07", "Bearer abcdefghijk"]}) == {"k": ["a\\x07", "Bearer " + S.MASK]}
