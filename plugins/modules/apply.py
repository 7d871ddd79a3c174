#!/usr/bin/python
# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module is implemented as an action plugin (plugins/action/apply.py): it computes on the
# controller and runs fleetpolicy.claude_code.managed_settings on the host.

from __future__ import annotations

DOCUMENTATION = r"""
module: apply
short_description: Compute a host's Claude Code settings from its policy on the controller and apply them on the host
version_added: 1.0.0
description:
  - The one step of a rollout. On the controller, validates the host's policy (provider, plan,
    profile and the rest) once with the collection's policy core, renders the managed settings
    document, the shell export texts and, with O(merge=true), the list of keys to purge; then runs
    M(fleetpolicy.claude_code.managed_settings) on the host once with that content.
  - Options are converted as Ansible converts typed options (a string V(true) for a C(bool), V(7)
    for an C(int), V(sh,bash) for a C(list)); the policy core then checks the policy's values,
    with messages that quote what was given and say what is allowed. A null option is not set.
  - A bad value fails the host with one message naming the host and the option. In the task of
    the role P(fleetpolicy.claude_code.settings#role) it names the role variable instead, and a
    C(claude_code_*) variable the collection does not know (a typo) fails the host too. Nothing is
    written.
  - A value that is taken but likely a mistake - an AWS or Vertex AI region that is well formed but
    not in the public list of regions the collection carries - is a warning naming the host.
  - Returns the module's result (files, drift, diff, other managed files) plus the host's data
    posture and a summary of it, so that playbooks and the drift report need nothing else.
  - A host that cannot be reached, or on which the module fails, returns a short result (the
    reason, the state and, when the module ran, the files), since Ansible prints it whole on one
    line. The module's own warnings are passed on as Ansible's warnings.
  - Windows hosts fail with a message that points at the MDM artifacts of the playbook fleetpolicy.claude_code.mdm_export.
author:
  - fleetpolicy.claude_code contributors (@fleetpolicy)
attributes:
  check_mode:
    support: full
    description: Computes and validates as usual; the module reports what would change and writes nothing.
  diff_mode:
    support: full
    description: The module's before/after diff of every file.
  platform:
    support: full
    platforms: posix
    description: Linux (Debian, RedHat, Suse and Arch families) and macOS targets.
options:
  provider:
    description:
      - Where prompts go - V(anthropic), V(bedrock), V(vertex), V(foundry) or V(anthropic_aws) (Claude Platform on AWS).
      - Required with O(state=present).
    type: str
    choices: [anthropic, bedrock, vertex, foundry, anthropic_aws]
  plan:
    description: The Anthropic plan. Required for V(anthropic), an error for the others.
    type: str
    choices: [pro, max, team, enterprise, enterprise_zdr, api]
  profile:
    description: See the role P(fleetpolicy.claude_code.settings#role).
    type: str
    choices: [standard, private, airgapped]
    default: standard
  aws_region:
    description: AWS region for Bedrock and Claude Platform on AWS, for example V(us-east-1).
    type: str
  vertex_project_id:
    description: Google Cloud project ID for Vertex AI.
    type: str
  vertex_region:
    description: Vertex AI region, for example V(us-east5), V(global), V(eu) or V(us).
    type: str
  foundry_resource:
    description: Microsoft Foundry resource name (or set O(foundry_base_url)).
    type: str
  foundry_base_url:
    description: Microsoft Foundry base URL, instead of O(foundry_resource).
    type: str
  anthropic_aws_workspace_id:
    description: Workspace ID for Claude Platform on AWS (V(anthropic_aws)).
    type: str
  base_url:
    description: URL of an LLM gateway in front of the provider.
    type: str
  lock_provider:
    description:
      - Write C(allowedProviders) (a managed-only key, Claude Code 2.1.285 and later) so that sessions can use
        only this provider (and, with O(base_url), only that gateway URL, as C(customEndpoint)).
      - Unset - V(true) for profiles V(private) and V(airgapped), V(false) for V(standard).
    type: bool
  transcript_retention_days:
    description:
      - Days Claude Code keeps local transcripts - written as C(cleanupPeriodDays) and
        C(desktopSessionCleanupPeriodDays) (Desktop sessions are exempt from the first).
      - Unset - V(14) for V(private) and V(airgapped); Claude Code's own 30 for V(standard).
    type: int
  web_fetch:
    description: V(false) turns the WebFetch tool off (C(CLAUDE_CODE_DISABLE_WEB_FETCH), 2.1.285). Unset - as the profile has it.
    type: bool
  gateway_hint_headers:
    description:
      - V(true) writes C(CLAUDE_CODE_GATEWAY_HINT_HEADERS=1) in the managed C(env) block - Claude Code then sends
        its gateway hint headers to an LLM gateway on the Anthropic provider, among them (2.1.327 and later)
        C(x-claude-code-managed-settings-checksum), the checksum of its managed settings that the drift report
        gives for each host (C(effective.checksum) in RV(effective)); V(false) writes C(0) (never); unset - not written.
    type: bool
  env:
    description: Extra environment variables; values are written as strings.
    type: dict
    default: {}
  settings:
    description: Extra top-level settings keys, for example C(cleanupPeriodDays).
    type: dict
    default: {}
  allow_secrets:
    description: Allow credential-looking values in O(env) (written to the managed file only, never to rc files).
    type: bool
    default: false
  state:
    description: V(present) writes the settings and exports; V(absent) removes what the collection wrote.
    type: str
    choices: [present, absent]
    default: present
  path:
    description:
      - The managed settings file; see M(fleetpolicy.claude_code.managed_settings).
      - An absolute path on the host; C(~) and relative paths are refused (nothing expands them
        on the controller, whose home folder is not the host's).
    type: str
  merge:
    description: Touch only the keys the collection sets in a file shared with other tools.
    type: bool
    default: false
  shells:
    description: Shells that get persistent exports of the same env block.
    type: list
    elements: str
    choices: [sh, bash, zsh, fish, environment_d]
    default: [sh, bash, zsh, fish, environment_d]
  shell_paths:
    description: Override the rc file path of some shells (mapping of shell to absolute path on the host).
    type: dict
    default: {}
  backup:
    description: Keep a C(0600) copy beside a file before changing it.
    type: bool
    default: false
  force:
    description: Replace an existing managed file that is not valid JSON (after a backup).
    type: bool
    default: false
  cli_paths:
    description: Where to look for the Claude Code CLI on the host (absolute paths); see M(fleetpolicy.claude_code.managed_settings).
    type: list
    elements: str
  cli_account:
    description:
      - The account that runs Claude Code on the host (a user name or uid); the managed files are
        judged as it reads them. Unset - any ordinary account; V(root) - no check. See
        M(fleetpolicy.claude_code.managed_settings).
    type: str
  cli_version:
    description:
      - The Claude Code CLI version the host must have (the settings role passes C(claude_code_version)).
        A host whose CLI has another version, or none, gets a drift entry with the key C((cli version)).
      - Unset - the version is not checked.
    type: str
  fail_on_effective:
    description:
      - After the module has written the host's files, the action judges what Claude Code on the host
        will apply (RV(effective)). V(true) fails the host when Claude Code will refuse to start there
        (a managed source it cannot parse) or when a file this collection does not manage leaves a
        control weaker than the policy, with one message naming the host, the file and what to do.
        The files are written first, so the host has the policy's own files either way.
      - V(false) - a warning naming the host instead.
      - In check mode nothing is written and the host does not fail - a warning says that a rollout
        will fail it (the drift report gives it the status C(broken) or C(weakened)).
    type: bool
    default: true
seealso:
  - module: fleetpolicy.claude_code.managed_settings
  - name: Claude Code managed settings
    description: Where Claude Code reads its policy and how sources combine.
    link: https://code.claude.com/docs/en/managed-settings
"""

EXAMPLES = r"""
- name: Bedrock with telemetry, error reports, feedback and surveys off
  fleetpolicy.claude_code.apply:
    provider: bedrock
    aws_region: us-east-1
    profile: private
  register: claude_code_result

- name: Show what leaves the host
  ansible.builtin.debug:
    var: claude_code_result.summary

- name: A drop-in that leaves the main file to others, with the pinned CLI checked
  fleetpolicy.claude_code.apply:
    provider: anthropic
    plan: enterprise
    profile: airgapped
    path: /etc/claude-code/managed-settings.d/50-fleet.json
    cli_version: "2.1.332"
"""

RETURN = r"""
state:
  description: The state that was applied.
  returned: always
  type: str
  sample: present
policy:
  description: The normalised policy (provider, plan, profile, allow_secrets and the provider's parameters).
  returned: when O(state=present) and the host was reached
  type: dict
  sample: {provider: bedrock, plan: null, profile: private, allow_secrets: false, aws_region: us-east-1}
env_names:
  description: Names of the variables in the managed C(env) block (RV(summary) shows them with their values, credentials masked).
  returned: when O(state=present) and the host was reached
  type: list
  elements: str
posture:
  description: The host's data posture, as the filter P(fleetpolicy.claude_code.posture#filter) returns it.
  returned: when O(state=present) and the host was reached
  type: dict
summary:
  description:
    - What was set on the host, in short lines for people - what the run did (V(set), V(already set),
      in check mode V(would set)), the provider, plan and profile and where prompts go; the C(env)
      block with its values and the other settings keys with theirs (credentials masked); how long
      local transcripts are kept; the optional traffic still on, in words; the hosts it contacts,
      grouped by who runs them (Anthropic, your cloud provider, third parties, your own); the
      provider lock; the files; what is not in effect or would fail the host; the CLI.
    - With O(state=absent), what was removed.
  returned: when the host was reached and the task did not fail
  type: list
  elements: str
  sample:
    - "set: anthropic team, profile private"
    - "env: CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY=1 DISABLE_ERROR_REPORTING=1 DISABLE_FEEDBACK_COMMAND=1"
    - "  DISABLE_TELEMETRY=1"
    - "settings: feedbackDrafts=off autoUploadSessions=false disableRemoteControl=true enableArtifact=false"
    - "  syncClaudeAiSkills=false syncClaudeAiPlugins=false disableClaudeAiConnectors=true"
    - "  permissions={deny: [Artifact, Projects, SendUserFile, ShareOnboardingGuide]} cleanupPeriodDays=14"
    - "  desktopSessionCleanupPeriodDays=14 allowedProviders=[anthropic]"
    - "local transcripts: 14 days (cleanupPeriodDays), Desktop sessions 14 days (desktopSessionCleanupPeriodDays)"
    - "prompts go to Anthropic (Claude API / claude.ai sign-in) at api.anthropic.com"
    - "retention: 30 days; training: no (unless the organisation opts in)"
    - "optional traffic still on: non-essential checks (release notes, model discovery); update checks and downloads;"
    - "contacts third parties: formulae.brew.sh (Homebrew), raw.githubusercontent.com (GitHub),"
would_fail:
  description:
    - In check mode, the message a rollout would fail the host with (O(fail_on_effective)); the host does not fail.
  returned: in check mode, when Claude Code will not start on the host or another file leaves it weaker than its policy
  type: str
path:
  description: The managed settings file.
  returned: when the host was reached
  type: str
files:
  description: Every file this run manages; see M(fleetpolicy.claude_code.managed_settings).
  returned: when the host was reached
  type: list
  elements: str
drift:
  description: What differs between the host and the policy; see M(fleetpolicy.claude_code.managed_settings).
  returned: when the host was reached
  type: list
  elements: dict
other_managed_files:
  description: Other managed settings files Claude Code reads with ours; see M(fleetpolicy.claude_code.managed_settings).
  returned: when the host was reached
  type: list
  elements: str
sources:
  description:
    - Every managed source Claude Code reads on the host, in its read order (path, kind, ours, status,
      sha256, error); see M(fleetpolicy.claude_code.managed_settings). Their contents are not returned.
  returned: when the host was reached
  type: list
  elements: dict
effective:
  description:
    - What Claude Code on the host (the version RV(cli) found, else the pinned one) will apply - every
      managed source read, checked and merged the way it does (docs/claude-code-rules.md - main file,
      then drop-ins in JavaScript's sort order; each field checked against its schema, a field of the
      wrong type dropped; later scalars win, lists are joined, objects deep-merged; the MDM plist
      composed under C(managedSourcesBehavior)), judged against the policy on the controller.
    - C(values) maps each data-handling key that is set (C(env.DISABLE_TELEMETRY), C(skipWebFetchPreflight), ...)
      to its C(value) and the C(file) it comes from; C(posture) is the posture of the effective state
      (null when it cannot be told, for example without a provider) and C(posture_is_intended) is true
      when it is the intended one (RV(posture));
      C(weaker) lists each control the effective state leaves weaker than intended (C(control),
      C(intended), C(effective), C(file), C(key); control C(held) - a user can change this policy, a
      managed file or a folder above it is writable by an account other than root; control C(source) -
      Claude Code skips this collection's file); C(broken) what stops Claude Code from starting
      (C(file), C(key), C(status) V(unparseable), V(crash) or V(refused) - its provider or endpoint is
      outside the merged C(allowedProviders) -, C(error), C(reason)); C(starts) whether it starts;
      C(provider) the provider and endpoint it uses (C(name), C(endpoint), C(custom)); C(problems) what
      it skips or ignores with a warning (C(file), C(key), C(kind), C(message)); C(policy_helper) the
      policy helper configured, whose answer cannot be seen from the host; C(mcp_servers) the names in
      C(managed-mcp.json).
    - Each broken source, and each control a file this collection does not manage leaves weaker,
      fails the host (O(fail_on_effective)) or is a warning of the task naming the host.
    - C(checksum) is the C(sha256:<hex>) Claude Code sends as C(x-claude-code-managed-settings-checksum)
      for these settings (null when a source is broken), and C(gateway_hint_headers) whether the
      effective C(env) turns those headers on (C(CLAUDE_CODE_GATEWAY_HINT_HEADERS)).
  returned: when O(state=present) and the host was reached
  type: dict
cli:
  description: The Claude Code CLI on the host (C(path), C(version), C(how)) with C(warnings) when it is older than a version a control relies on, or null.
  returned: when the host was reached
  type: dict
"""
