# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run one command under watch, inside a test instance, and report what it tried to reach.

Everything runs on this instance's loopback and is torn down afterwards:
  - a DNS stub on 127.0.0.1:53 (UDP and TCP) that logs every name asked for and answers
    NXDOMAIN; /etc/resolv.conf points at it for the duration of the run (then restored);
  - a stand-in for the model endpoint on 127.0.0.1:PORT: a minimal Messages API
    (POST /v1/messages, plain JSON or SSE stream; count_tokens; HEAD/GET anything else -> 200
    empty for / and /api/hello, 404 otherwise), logging every request;
  - the command runs under `strace -f` tracing connect/sendto/sendmsg/sendmmsg, so every
    connection attempt (TCP or UDP, any address) is logged, including ones that fail.
Prints one JSON object: rc, stdout, stderr (tails), dns (names asked), http (requests seen),
connects (inet destinations tried), unix (AF_UNIX paths) and tool_results (what the CLI sent back
for a tool call).

With --webfetch URL the stand-in answers the conversation's first turn with a WebFetch tool call
for URL, and records the tool result the CLI returns: where the WebFetch domain check cannot
reach api.anthropic.com, that result says the domain could not be verified.

With --end-on REGEX the command is ended (with every process of its session) --grace seconds
(default 1.5) after the first DNS name or stand-in request ("METHOD PATH") that REGEX matches:
enough to see that a session started and where it goes, without waiting for its retries
(tests/integration/test_cli_oracle.py). The report's ended_on_contact says whether it was ended.

With --no-trace the command runs without strace (no connects, no unix in the report): cheaper,
for a caller that needs only the DNS names and the stand-in's requests.

Usage: offline_probe.py --port PORT [--timeout S] [--webfetch URL] [--end-on REGEX [--grace S]] [--no-trace]
                        -- COMMAND [ARG...]
Python standard library only (the instances have nothing else).
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import socketserver
import struct
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REPLY_TEXT = "offline-probe-ok"
LOCK = threading.Lock()
DNS_LOG = []
HTTP_LOG = []
TOOL_RESULTS = []
WEBFETCH = {"url": None}
END_ON = {"regex": None}
CONTACT = threading.Event()


def _contact(text):
    """Note a DNS name or a request; sets CONTACT when --end-on matches it."""
    if END_ON["regex"] is not None and END_ON["regex"].search(text):
        CONTACT.set()


# --------------------------------------------------------------------------- DNS stub
def _qname(packet):
    """(name, qtype) of the first question of a DNS query."""
    labels, pos = [], 12
    while pos < len(packet):
        length = packet[pos]
        if length == 0:
            pos += 1
            break
        labels.append(packet[pos + 1 : pos + 1 + length].decode("ascii", "replace"))
        pos += 1 + length
    qtype = struct.unpack("!H", packet[pos : pos + 2])[0] if pos + 2 <= len(packet) else 0
    return ".".join(labels), qtype, pos + 4


def _nxdomain(packet):
    name, qtype, end = _qname(packet)
    with LOCK:
        DNS_LOG.append(
            {"name": name, "type": {1: "A", 28: "AAAA", 5: "CNAME", 33: "SRV", 65: "HTTPS"}.get(qtype, str(qtype))}
        )
    _contact(name)
    ident, flags = struct.unpack("!HH", packet[:4])
    flags = 0x8000 | (flags & 0x0100) | 0x0080 | 3  # response, keep RD, RA, NXDOMAIN
    return struct.pack("!HHHHHH", ident, flags, 1, 0, 0, 0) + packet[12:end]


class _UDP(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        if len(data) >= 12:
            sock.sendto(_nxdomain(data), self.client_address)


class _TCP(socketserver.BaseRequestHandler):
    def handle(self):
        head = self.request.recv(2)
        if len(head) == 2:
            size = struct.unpack("!H", head)[0]
            data = b""
            while len(data) < size:
                chunk = self.request.recv(size - len(data))
                if not chunk:
                    return
                data += chunk
            reply = _nxdomain(data)
            self.request.sendall(struct.pack("!H", len(reply)) + reply)


class _ThreadingUDP(socketserver.ThreadingMixIn, socketserver.UDPServer):
    daemon_threads = True
    allow_reuse_address = True


class _ThreadingTCP(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


# --------------------------------------------------------------------------- model stand-in
def _message(model):
    return {
        "id": "msg_offline_probe",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [{"type": "text", "text": REPLY_TEXT}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 1, "output_tokens": 1},
    }


def _sse(model):
    start = _message(model)
    start.update(content=[], stop_reason=None)
    events = [
        ("message_start", {"type": "message_start", "message": start}),
        (
            "content_block_start",
            {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        ),
        (
            "content_block_delta",
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": REPLY_TEXT}},
        ),
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"output_tokens": 1},
            },
        ),
        ("message_stop", {"type": "message_stop"}),
    ]
    return "".join("event: %s\ndata: %s\n\n" % (name, json.dumps(body)) for name, body in events).encode()


def _tool_use_sse(model, url):
    start = _message(model)
    start.update(content=[], stop_reason=None)
    block = {"type": "tool_use", "id": "toolu_offline_probe", "name": "WebFetch", "input": {}}
    args = json.dumps({"url": url, "prompt": "Summarise the page."})
    events = [
        ("message_start", {"type": "message_start", "message": start}),
        ("content_block_start", {"type": "content_block_start", "index": 0, "content_block": block}),
        (
            "content_block_delta",
            {"type": "content_block_delta", "index": 0, "delta": {"type": "input_json_delta", "partial_json": args}},
        ),
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "tool_use", "stop_sequence": None},
                "usage": {"output_tokens": 1},
            },
        ),
        ("message_stop", {"type": "message_stop"}),
    ]
    return "".join("event: %s\ndata: %s\n\n" % (name, json.dumps(body)) for name, body in events).encode()


def _tool_turn(body):
    """'call' for the conversation turn that should get the WebFetch call, 'result' for the one
    carrying its result (recorded), None for everything else (titles, quota checks...)."""
    # WebFetch may be a deferred tool (listed behind ToolSearch): a call to it is still run.
    if not WEBFETCH["url"] or not any(
        t.get("name") in ("WebFetch", "ToolSearch") for t in body.get("tools") or [] if isinstance(t, dict)
    ):
        return None
    for message in body.get("messages") or []:
        content = message.get("content") if isinstance(message, dict) else None
        for part in content if isinstance(content, list) else []:
            if isinstance(part, dict) and part.get("type") == "tool_result":
                text = part.get("content")
                if isinstance(text, list):
                    text = " ".join(str(p.get("text", "")) for p in text if isinstance(p, dict))
                with LOCK:
                    TOOL_RESULTS.append(str(text)[:2000])
                return "result"
    return "call"


class _Model(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet; requests go to HTTP_LOG
        pass

    def _record(self, extra=None):
        entry = {
            "method": self.command,
            "path": self.path.split("?", 1)[0],
            "host": self.headers.get("Host"),
            "x_headers": {k.lower(): v for k, v in self.headers.items() if k.lower().startswith("x-claude-code-")},
        }
        # Which credential came with the request: header name and a fingerprint, never the value.
        for header in ("x-api-key", "authorization"):
            value = self.headers.get(header)
            if value:
                entry.setdefault("credentials", {})[header] = hashlib.sha256(value.encode()).hexdigest()[:12]
        entry.update(extra or {})
        with LOCK:
            HTTP_LOG.append(entry)
        _contact("%s %s" % (entry["method"], entry["path"]))

    def _send(self, status, body=b"", ctype="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self._record()
        self._send(200 if self.path.split("?", 1)[0] in ("/", "/api/hello") else 404)

    def do_GET(self):
        self.do_HEAD()

    def do_POST(self):
        size = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(size) if size else b""
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        path = self.path.split("?", 1)[0]
        self._record({"stream": bool(body.get("stream")), "model": body.get("model")})
        model = body.get("model") or "claude-stand-in"
        if path == "/v1/messages/count_tokens":
            self._send(200, json.dumps({"input_tokens": 1}).encode())
        elif path == "/v1/messages" and body.get("stream") and _tool_turn(body) == "call":
            self._send(200, _tool_use_sse(model, WEBFETCH["url"]), "text/event-stream")
        elif path == "/v1/messages" and body.get("stream"):
            self._send(200, _sse(model), "text/event-stream")
        elif path == "/v1/messages":
            self._send(200, json.dumps(_message(model)).encode())
        else:
            self._send(
                404, json.dumps({"type": "error", "error": {"type": "not_found_error", "message": path}}).encode()
            )


# --------------------------------------------------------------------------- strace log
_INET = re.compile(
    r'sa_family=AF_INET6?, sin6?_port=htons\((\d+)\),.*?(?:inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)")'
)
_UNIX = re.compile(r'sa_family=AF_UNIX, sun_path=@?"([^"]*)"')
_CALL = re.compile(r"^(?:\[pid\s+)?(\d+)\]?\s+(connect|sendto|sendmsg|sendmmsg)\((.*)$")


def _parse_strace(path):
    inet, unix = [], []
    with open(path, errors="replace") as handle:
        for line in handle:
            m = _CALL.match(line.strip())
            if not m:
                continue
            call, rest = m.group(2), m.group(3)
            i = _INET.search(rest)
            if i:
                result = rest.rsplit("=", 1)[-1].strip()
                inet.append({"call": call, "addr": i.group(2) or i.group(3), "port": int(i.group(1)), "result": result})
                continue
            u = _UNIX.search(rest)
            if u and call == "connect":
                unix.append(u.group(1))
    return inet, sorted(set(unix))


def _end_on_contact(proc, ended, grace):
    """After the first contact --end-on names (and GRACE seconds for the rest of that exchange),
    kill every process of the command's session: strace, timeout, the command and its children
    (timeout puts the command in a process group of its own, so killing one group is not enough)."""
    CONTACT.wait()
    time.sleep(grace)
    if proc.poll() is not None:
        return
    ended.append(True)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == proc.pid:  # field 6 of stat: the session id
            try:
                os.kill(int(entry), signal.SIGKILL)
            except OSError:
                pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--timeout", type=int, default=90)
    parser.add_argument("--webfetch", help="answer the first turn with a WebFetch call for this URL")
    parser.add_argument("--end-on", help="end the command soon after a DNS name or request matching this regex")
    parser.add_argument("--grace", type=float, default=1.5, help="seconds between that contact and the end")
    parser.add_argument("--no-trace", action="store_true", help="run the command without strace")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command")
    WEBFETCH["url"] = args.webfetch
    END_ON["regex"] = re.compile(args.end_on) if args.end_on else None

    servers = [
        _ThreadingUDP(("127.0.0.1", 53), _UDP),
        _ThreadingTCP(("127.0.0.1", 53), _TCP),
        ThreadingHTTPServer(("127.0.0.1", args.port), _Model),
    ]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()

    resolv = "/etc/resolv.conf"
    saved = None
    if os.path.exists(resolv):
        with open(resolv) as handle:
            saved = handle.read()
    work = tempfile.mkdtemp(prefix="offline-probe.")
    trace = os.path.join(work, "strace.log")
    try:
        with open(resolv, "w") as handle:  # in place: it may be a bind mount
            handle.write("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n")
        strace = shutil.which("strace")
        if not strace and not args.no_trace:
            print(json.dumps({"error": "strace not found in the instance"}))
            return 3
        tracer = (
            []
            if args.no_trace
            else [strace, "-f", "-qq", "-s", "256", "-e", "trace=connect,sendto,sendmsg,sendmmsg", "-o", trace]
        )
        proc = subprocess.Popen(
            tracer + ["timeout", "--kill-after=5", str(args.timeout)] + command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            start_new_session=True,
        )
        ended = []
        if END_ON["regex"] is not None:
            threading.Thread(target=_end_on_contact, args=(proc, ended, args.grace), daemon=True).start()
        stdout, stderr = proc.communicate()
        inet, unix = ([], []) if args.no_trace else _parse_strace(trace)
    finally:
        if saved is not None:
            with open(resolv, "w") as handle:
                handle.write(saved)
        for server in servers:
            server.shutdown()
            server.server_close()
        shutil.rmtree(work, ignore_errors=True)
    with LOCK:
        report = {
            "rc": proc.returncode,
            "stdout": stdout[-4000:],
            "stderr": stderr[-4000:],
            "ended_on_contact": bool(ended),
            "dns": list(DNS_LOG),
            "http": list(HTTP_LOG),
            "connects": inet,
            "unix": unix,
            "tool_results": list(TOOL_RESULTS),
            "endpoint": {"addr": "127.0.0.1", "port": args.port},
        }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
