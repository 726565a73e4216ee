"""A stand-in for the three group robots on 127.0.0.1: it checks every post against the kind's documented format
(campaign/notify/robots.py names the sources) and answers as told — success, an error, HTTP 500 or silence.

    /wecom/<name>     WeCom: msgtype; markdown.content ≤ 4096 bytes; text.content ≤ 2048 bytes with
                      mentioned_mobile_list; image.base64 decoding to a PNG or JPEG ≤ 2 MB whose md5 is image.md5
    /dingtalk/<name>  DingTalk: timestamp (ms, within an hour) and sign recomputed from the secret; markdown
                      title and text; every at.atMobiles written as @mobile in the text
    /feishu/<name>    Feishu: timestamp (s, within an hour) and sign recomputed from the secret; msg_type post with
                      a title and lines; the body ≤ 20 KB
"""

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

THROTTLED = {"wecom": {"errcode": 45009, "errmsg": "api freq out of limit"},  # each kind's documented "too fast"
             "dingtalk": {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"},
             "feishu": {"code": 11232, "msg": "frequency limited psm[lark.oapi.app_platform_runtime]appID[1]"}}
ANSWERS = {  # what each kind answers: success, and its documented error for a bad key or signature
    "wecom": ({"errcode": 0, "errmsg": "ok"}, {"errcode": 93000, "errmsg": "invalid webhook url, hint: [x]"}),
    "dingtalk": ({"errcode": 0, "errmsg": "ok"}, {"errcode": 310000, "errmsg": "sign not match"}),
    "feishu": ({"code": 0, "msg": "success", "data": {}}, {"code": 19021, "msg": "sign match fail or timestamp is not within one hour from current time"}),
}


@dataclass
class Got:
    """One post as received: kind, channel name, query, body, what is wrong with it, and how it was answered."""

    kind: str
    name: str
    query: dict
    body: dict | None
    problems: list = field(default_factory=list)
    answered: str = ""
    at: float = 0.0  # time.monotonic() when it arrived

    @property
    def msgtype(self):
        return (self.body or {}).get("msgtype") or (self.body or {}).get("msg_type")


class Receiver:
    """The server and what it saw. `modes[name]`: a list of answers to give in turn ("ok", "error", "http500",
    "silent", "throttled" (the kind's "too fast" code), "http429", "redirect" (302 elsewhere), "garbage" (not
    HTTP)), the last
    repeated; `secrets[name]`: the signing secret it checks; `errors[name]`: the error body "error" answers."""

    def __init__(self):
        self.got: list[Got] = []
        self.modes: dict[str, list] = {}
        self.secrets: dict[str, str] = {}
        self.errors: dict[str, dict] = {}
        self.silence = 1.5
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                receiver.handle(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def address(self, kind: str, name: str) -> str:
        """The webhook address of a robot of `kind` called `name`, as its service would hand it out."""
        return {"wecom": f"{self.url}/wecom/{name}?key=wk-{name}-0123456789",
                "dingtalk": f"{self.url}/dingtalk/{name}?access_token=dt{name}0123456789",
                "feishu": f"{self.url}/feishu/{name}/fs-{name}-0123456789"}[kind]

    def of(self, name: str) -> list[Got]:
        return [g for g in self.got if g.name == name]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def handle(self, request):
        parts = urllib.parse.urlsplit(request.path)
        kind, name = (parts.path.strip("/").split("/") + [""])[:2]
        raw = request.rfile.read(int(request.headers.get("Content-Length", 0)))
        try:
            body = json.loads(raw.decode("utf-8"))
        except ValueError:
            body = None
        got = Got(kind, name, dict(urllib.parse.parse_qsl(parts.query)), body, at=time.monotonic())
        got.problems = CHECKS[kind](self, got, raw) if body is not None else ["not JSON"]
        with self.lock:
            self.got.append(got)
            modes = self.modes.get(name, ["ok"])
            mode = modes.pop(0) if len(modes) > 1 else modes[0]
        if mode == "silent":
            time.sleep(self.silence)
        if mode in ("http500", "http429"):
            got.answered = mode
            return _reply(request, int(mode[4:]), b"<html>Error</html>")
        if mode == "garbage":  # not HTTP: no status line
            got.answered = mode
            request.wfile.write(b"\x00\x01 hello\r\n\r\n")
            request.close_connection = True
            return None
        if mode == "redirect":
            got.answered = mode
            return _reply(request, 302, b"", {"Location": f"/{kind}/elsewhere"})
        if mode == "throttled":
            got.answered = mode
            return _reply(request, 200, json.dumps(THROTTLED[kind]).encode())
        good, bad = ANSWERS[kind]
        got.answered = "ok" if mode == "ok" and not got.problems else "error"
        _reply(request, 200, json.dumps(good if got.answered == "ok" else self.errors.get(name, bad)).encode())


def _reply(request, status, data, headers=None):
    try:
        request.send_response(status)
        for key, value in (headers or {}).items():
            request.send_header(key, value)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)
    except OSError:  # the sender gave up waiting (a silent robot)
        pass


def _wecom(receiver, got, raw):
    body, problems = got.body, []
    kind = body.get("msgtype")
    if kind == "markdown":
        size = len(body["markdown"]["content"].encode("utf-8"))
        problems += [f"markdown.content is {size} bytes"] if size > 4096 else []
    elif kind == "text":
        size = len(body["text"]["content"].encode("utf-8"))
        problems += [f"text.content is {size} bytes"] if size > 2048 else []
        mobiles = body["text"].get("mentioned_mobile_list", [])
        problems += [f"bad mobile {m}" for m in mobiles if not (len(m) == 11 and m.isdigit())]
    elif kind == "image":
        data = base64.b64decode(body["image"]["base64"], validate=True)
        if hashlib.md5(data).hexdigest() != body["image"]["md5"]:
            problems.append("image.md5 is not the md5 of the decoded bytes")
        if len(data) > 2 * 1024 * 1024:
            problems.append(f"image is {len(data)} bytes")
        if not (data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8")):
            problems.append("image is neither PNG nor JPEG")
    else:
        problems.append(f"msgtype {kind!r}")
    return problems


def _fresh(stamp: int, scale: int) -> bool:
    return abs(time.time() - stamp / scale) < 3600


def _dingtalk(receiver, got, raw):
    body, problems = got.body, []
    secret = receiver.secrets.get(got.name)
    if secret:
        stamp = got.query.get("timestamp", "")
        want = base64.b64encode(hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()).decode()
        if not stamp.isdigit() or not _fresh(int(stamp), 1000) or got.query.get("sign") != want:
            problems.append("sign does not match")
    if body.get("msgtype") != "markdown" or not body["markdown"].get("title") or not body["markdown"].get("text"):
        problems.append("not a markdown with a title and a text")
    for mobile in body.get("at", {}).get("atMobiles", []):
        if f"@{mobile}" not in body["markdown"]["text"]:
            problems.append(f"@{mobile} not in the text")
    return problems


def _feishu(receiver, got, raw):
    body, problems = got.body, []
    secret = receiver.secrets.get(got.name)
    if secret:
        stamp = body.get("timestamp", "")
        want = base64.b64encode(hmac.new(f"{stamp}\n{secret}".encode(), b"", hashlib.sha256).digest()).decode()
        if not str(stamp).isdigit() or not _fresh(int(stamp), 1) or body.get("sign") != want:
            problems.append("sign does not match")
    if len(raw) > 20 * 1024:
        problems.append(f"body is {len(raw)} bytes")
    post = body.get("content", {}).get("post", {}) if body.get("msg_type") == "post" else {}
    if len(post) != 1 or not all(p.get("title") and p.get("content") for p in post.values()):
        problems.append("not a post with a title and lines")
    return problems


CHECKS = {"wecom": _wecom, "dingtalk": _dingtalk, "feishu": _feishu}


@pytest.fixture
def receiver():
    found = Receiver()
    yield found
    found.stop()
