# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""macOS: the configuration profile (.mobileconfig) and the Custom Settings property list (.plist).

Both follow Anthropic's templates in anthropics/claude-code, examples/mdm/macos/
(com.anthropic.claudecode.mobileconfig and com.anthropic.claudecode.plist): the profile is one
`com.apple.ManagedClient.preferences` payload for the preference domain `com.anthropic.claudecode`
whose `Forced` entry holds the settings under `mcx_preference_settings`; the Custom Settings list
(Jamf Pro, Iru (Kandji)) is the settings alone. Claude Code reads the domain from
/Library/Managed Preferences/[user/]com.anthropic.claudecode.plist (CLI 2.1.332) and `/status` lists
it as "Enterprise managed settings (plist)".

Written by plistlib (XML, keys sorted), never by hand. Identifiers are deterministic: a UUIDv5 of
the identifier and of everything else the profile says, so the same inputs give the same bytes
and an MDM sees no change, and any change of content gives new UUIDs.

Private to this collection; controller side only.
"""

from __future__ import annotations

import hashlib
import json
import plistlib
import uuid

from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.mdm._document import delivered

DOMAIN = "com.anthropic.claudecode"
PAYLOAD_TYPE = "com.apple.ManagedClient.preferences"
PROFILE_FILE = DOMAIN + ".mobileconfig"
CUSTOM_SETTINGS_FILE = DOMAIN + ".plist"
DEFAULT_IDENTIFIER = "com.anthropic.claudecode.profile"
DEFAULT_DISPLAY_NAME = "Claude Code managed settings"
# The namespace of this collection's UUIDv5s (itself a UUIDv5 of the collection's name).
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "fleetpolicy.claude_code")


def _dump(value: dict) -> bytes:
    return plistlib.dumps(value, fmt=plistlib.FMT_XML, sort_keys=True)


def custom_settings(settings: dict) -> bytes:
    """The Custom Settings .plist: the delivered document as the preference domain's keys."""
    return _dump(delivered(settings))


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "\x00".join(parts))).upper()


def profile(
    settings: dict,
    identifier: str,
    display_name: str,
    description: str,
    organization: str | None = None,
) -> tuple[bytes, dict]:
    """The configuration profile and its identifiers (PayloadIdentifier, PayloadUUID, the inner
    payload's PayloadUUID) as (bytes, identifiers)."""
    document = delivered(settings)
    content = json.dumps(
        [document, identifier, display_name, description, organization], sort_keys=True, ensure_ascii=True
    )
    digest = hashlib.sha256(content.encode("ascii")).hexdigest()
    inner_uuid = _uuid(identifier, "preferences", digest)
    outer_uuid = _uuid(identifier, "profile", digest)
    inner = {
        "PayloadContent": {DOMAIN: {"Forced": [{"mcx_preference_settings": document}]}},
        "PayloadDisplayName": "Claude Code",
        "PayloadIdentifier": f"{identifier}.{inner_uuid}",
        "PayloadType": PAYLOAD_TYPE,
        "PayloadUUID": inner_uuid,
        "PayloadVersion": 1,
    }
    outer = {
        "PayloadContent": [inner],
        "PayloadDescription": description,
        "PayloadDisplayName": display_name,
        "PayloadIdentifier": identifier,
        "PayloadScope": "System",
        "PayloadType": "Configuration",
        "PayloadUUID": outer_uuid,
        "PayloadVersion": 1,
    }
    if organization:
        outer["PayloadOrganization"] = organization
    ids = {"PayloadIdentifier": identifier, "PayloadUUID": outer_uuid, "PayloadContentUUID": inner_uuid}
    return _dump(outer), ids
