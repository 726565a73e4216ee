"""The group robots' message formats, signing and answers: WeCom (企业微信), DingTalk (钉钉), Feishu (飞书).

Pure: a Message (a title, lines, mobiles to @, an image) becomes the JSON bodies one kind's webhook takes, each
within that kind's documented limits (split into numbered parts, never cut); a robot's reply becomes an Answer.
Where each rule comes from:

- WeCom group robot, 群机器人配置说明 (developer.work.weixin.qq.com/document/path/91770, mirrored in
  /document/path/99110): `msgtype` text (`content` ≤ 2048 bytes, `mentioned_mobile_list`), markdown (`content`
  ≤ 4096 bytes UTF-8; markdown cannot @ by mobile, so mentions go in a text message after it), image (`base64` of
  the raw bytes and `md5` of the raw bytes before encoding, ≤ 2 MB, JPG or PNG); at most 20 messages a minute.
- DingTalk custom robot, 自定义机器人接入 (open.dingtalk.com/document/robots/custom-robot-access and
  /document/robots/message-types-and-data-format): `msgtype` markdown with `markdown.title` and `markdown.text`,
  `at.atMobiles` (each @mobile must also appear in the text to show as a mention); 加签: `timestamp` (ms) and
  `sign` = urlencode(base64(HmacSHA256(key = secret, message = timestamp + "\n" + secret))) as query parameters;
  at most 20 messages a minute. Those pages give no byte limit for markdown: parts keep WeCom's 4096 bytes.
  A custom robot can show a picture only from a public address (`![](https://…)`), which the app has not.
- Feishu custom bot, 自定义机器人使用指南 (open.feishu.cn/document/client-docs/bot-v3/add-custom-bot):
  `msg_type` post with `content.post.zh_cn|en_us` = {title, content: [[{tag: text, text}]]}; the request body
  ≤ 20 KB; 签名校验: `timestamp` (seconds) and `sign` = base64(HmacSHA256(key = timestamp + "\n" + secret,
  message = empty)) in the body. A custom bot @-mentions by open_id only (not by mobile), and sends an image
  only by an `image_key` from the app upload API, which a custom bot has no access to.
"""

import base64
import hashlib
import hmac
import io
import json
import os
import re
import urllib.parse
from dataclasses import dataclass, field

from campaign.infra import i18n

KINDS = ("wecom", "dingtalk", "feishu")
WECOM_MARKDOWN_MAX = 4096  # bytes of markdown.content
WECOM_TEXT_MAX = 2048  # bytes of text.content
WECOM_IMAGE_MAX = 2 * 1024 * 1024  # raw bytes of an image, before base64
DINGTALK_MARKDOWN_MAX = 4096  # bytes of markdown.text (see above: WeCom's bound)
FEISHU_BODY_MAX = 20 * 1024  # bytes of the whole request body
FEISHU_SIGN_ROOM = 200  # what timestamp and sign add to a body

# Where each kind's robots live (https only): the host(s), the path and the query key a webhook address has.
# Anything else is refused, so the app never posts a county's figures to a look-alike host or into its own
# network. CAMPAIGN_ROBOT_HOSTS (comma-separated host names) adds hosts for any kind, http or https, any path:
# a private deployment (企业微信私有化, 专属钉钉) or a test's stand-in on 127.0.0.1.
OFFICIAL = {
    "wecom": (("qyapi.weixin.qq.com",), "/cgi-bin/webhook/send", "key"),
    "dingtalk": (("oapi.dingtalk.com",), "/robot/send", "access_token"),
    "feishu": (("open.feishu.cn", "open.larksuite.com"), "/open-apis/bot/v2/hook/", None),
}
EXAMPLES = {"wecom": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…",
            "dingtalk": "https://oapi.dingtalk.com/robot/send?access_token=…",
            "feishu": "https://open.feishu.cn/open-apis/bot/v2/hook/…"}


def extra_hosts() -> set[str]:
    """Host names CAMPAIGN_ROBOT_HOSTS allows besides the official ones (read on every check: no restart needed)."""
    return {h.strip().lower().rstrip(".") for h in os.environ.get("CAMPAIGN_ROBOT_HOSTS", "").split(",") if h.strip()}


def robot_address(kind: str, url: str) -> bool:
    """Whether `url` is a webhook address of a `kind` robot: its official host over https (default port), path
    and key, or a host CAMPAIGN_ROBOT_HOSTS allows."""
    parts = urllib.parse.urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return False
    if (parts.hostname or "") in extra_hosts() and parts.scheme in ("http", "https"):
        return True
    hosts, path, key = OFFICIAL[kind]
    if parts.scheme != "https" or parts.hostname not in hosts or port not in (None, 443) or parts.username:
        return False
    if key is None:  # Feishu: the token is the last path segment
        return parts.path.startswith(path) and len(parts.path) > len(path) and "/" not in parts.path[len(path):]
    return parts.path == path and bool(urllib.parse.parse_qs(parts.query).get(key))


@dataclass(frozen=True)
class Seg:
    """A run of text in a line; `bold` for labels; `raw` for what this module writes itself (@mobiles), never
    user text."""

    text: str
    bold: bool = False
    raw: bool = False


@dataclass(frozen=True)
class Message:
    """What one send says, before any kind's format: title, lines of Segs, mobiles to @ and the line that goes
    with them (it names the people too: Feishu cannot @ by mobile), an image (PNG bytes)."""

    title: str
    lines: tuple = ()
    mentions: tuple = ()
    mention_line: tuple = ()
    image: bytes | None = None


def line(*parts) -> tuple:
    """A line from strings and Segs."""
    return tuple(p if isinstance(p, Seg) else Seg(str(p)) for p in parts)


def pair(label: str, value: str, lang: str = "zh") -> tuple:
    """"**label**：value"."""
    return (Seg(label + ("：" if lang == "zh" else ": "), True), Seg(str(value)))


@dataclass
class Prepared:
    """The JSON bodies to post in order (unsigned), and what became of the image."""

    bodies: list
    image: str | None = None  # None (no image), png, jpeg, split:N, unsupported, too_large
    notes: dict = field(default_factory=dict)


# ---- markdown ------------------------------------------------------------------------------

# Characters that start markup in WeCom's and DingTalk's markdown: user text (unit names, titles) gets their
# full-width forms, so a name can neither format the message nor inject a link, a tag or a heading.
_MARKUP = str.maketrans({"*": "＊", "_": "＿", "`": "｀", "[": "［", "]": "］", "<": "＜", ">": "＞", "#": "＃",
                         "~": "～", "|": "｜", "\\": "＼", "!": "！", "@": "＠"})


def escape(text) -> str:
    """User text safe in a markdown message: one line, no markup characters."""
    return _one_line(text).translate(_MARKUP)


def _one_line(text) -> str:
    return re.sub(r"\s+", " ", str(text))


def _markdown_line(segments) -> str:
    return "".join(s.text if s.raw else f"**{escape(s.text).strip()}**" if s.bold else escape(s.text) for s in segments)


def _plain_line(segments) -> str:
    return "".join(_one_line(s.text) for s in segments)


def _split_long(segments, fits) -> list:
    """A line too long for one part, cut into lines that fit (by characters; nothing is dropped)."""
    text = _plain_line(segments)
    pieces, current = [], ""
    for char in text:
        if current and not fits((Seg(current + char),)):
            pieces.append((Seg(current),))
            current = ""
        current += char
    return pieces + ([(Seg(current),)] if current else [])


def chunks(lines, fits) -> list[list]:
    """Lines grouped greedily into parts for which `fits(part_lines)` holds."""
    parts, current = [], []
    for one in lines:
        for piece in ([one] if fits([one]) else _split_long(one, lambda seg: fits([seg]))):
            if current and not fits(current + [piece]):
                parts.append(current)
                current = []
            current.append(piece)
    return parts + ([current] if current else []) or [[]]


def _titled(title: str, index: int, total: int) -> str:
    return title if total == 1 else f"{title}（{index}/{total}）"


TITLE_ROOM = "（99/99）"


# ---- the kinds -----------------------------------------------------------------------------

def prepare(kind: str, message: Message, lang: str = "zh") -> Prepared:
    """The bodies `kind` takes for `message`, each within the kind's limits."""
    lines = list(message.lines)
    image, images = None, []
    if message.image is not None:
        if kind == "wecom":
            images, image = fit_image(message.image, WECOM_IMAGE_MAX)
        else:
            image = "unsupported"
        if image in ("unsupported", "too_large"):
            lines.append(line(i18n.t(f"notify.image.{image}", lang)))
    if kind == "wecom":
        bodies = _wecom(message, lines, images)
    elif kind == "dingtalk":
        bodies = _dingtalk(message, lines)
    else:
        bodies = _feishu(message, lines, lang)
    return Prepared(bodies, image, {"parts": len(bodies)})


def _wecom(message: Message, lines, images) -> list:
    def render(title, part):
        return "\n".join([f"**{escape(title)}**", *(_markdown_line(x) for x in part)])

    limit = WECOM_MARKDOWN_MAX
    parts = chunks(lines, lambda part: len(render(message.title + TITLE_ROOM, part).encode()) <= limit)
    bodies = [{"msgtype": "markdown", "markdown": {"content": render(_titled(message.title, i, len(parts)), part)}}
              for i, part in enumerate(parts, 1)]
    for data in images:
        bodies.append({"msgtype": "image", "image": {"base64": base64.b64encode(data).decode("ascii"),
                                                     "md5": hashlib.md5(data).hexdigest()}})
    if message.mentions:  # markdown cannot @ by mobile: a text message after it does (plain text: nothing to escape)
        pieces = chunks([message.mention_line],
                        lambda part: len("\n".join(_plain_line(x) for x in part).encode()) <= WECOM_TEXT_MAX)
        for i, piece in enumerate(pieces, 1):
            bodies.append({"msgtype": "text", "text": {"content": "\n".join(_plain_line(x) for x in piece),
                                                       **({"mentioned_mobile_list": list(message.mentions)}
                                                          if i == len(pieces) else {})}})
    return bodies


def _dingtalk(message: Message, lines) -> list:
    if message.mention_line or message.mentions:  # the @mobiles written as they are: they must match at.atMobiles
        mention = "".join(f" @{mobile}" for mobile in message.mentions)
        lines = [*lines, message.mention_line + ((Seg(mention, raw=True),) if mention else ())]

    def render(title, part):  # DingTalk's markdown breaks a line only at a blank line
        return "\n\n".join([f"#### {escape(title)}", *(_markdown_line(x) for x in part)])

    parts = chunks(lines, lambda part: len(render(message.title + TITLE_ROOM, part).encode()) <= DINGTALK_MARKDOWN_MAX)
    bodies = []
    for i, part in enumerate(parts, 1):
        title = _titled(message.title, i, len(parts))
        body = {"msgtype": "markdown", "markdown": {"title": title, "text": render(title, part)}}
        if i == len(parts) and message.mentions:
            body["at"] = {"atMobiles": list(message.mentions), "isAtAll": False}
        bodies.append(body)
    return bodies


def _feishu(message: Message, lines, lang: str) -> list:
    if message.mention_line:
        lines = [*lines, message.mention_line]
    locale = "zh_cn" if lang == "zh" else "en_us"

    def body(title, part):
        content = [[{"tag": "text", "text": _one_line(s.text), **({"style": ["bold"]} if s.bold else {})}
                    for s in one] for one in part]
        return {"msg_type": "post", "content": {"post": {locale: {"title": title, "content": content}}}}

    limit = FEISHU_BODY_MAX - FEISHU_SIGN_ROOM
    parts = chunks(lines, lambda part: len(dumps(body(message.title + TITLE_ROOM, part))) <= limit)
    return [body(_titled(message.title, i, len(parts)), part) for i, part in enumerate(parts, 1)]


def fit_image(data: bytes, limit: int) -> tuple[list[bytes], str]:
    """The image as it can go: as it is, recompressed as JPEG, or cut top to bottom into JPEG slices, each ≤ limit."""
    if len(data) <= limit:
        return [data], "png"
    from PIL import Image

    picture = Image.open(io.BytesIO(data)).convert("RGB")
    for quality in (85, 70):
        jpeg = _jpeg(picture, quality)
        if len(jpeg) <= limit:
            return [jpeg], "jpeg"
    for count in range(2, 9):
        height = -(-picture.height // count)
        slices = [_jpeg(picture.crop((0, top, picture.width, min(top + height, picture.height))), 80)
                  for top in range(0, picture.height, height)]
        if all(len(s) <= limit for s in slices):
            return slices, f"split:{len(slices)}"
    return [], "too_large"


def _jpeg(picture, quality: int) -> bytes:
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue()


def dumps(body: dict) -> bytes:
    """A body as posted: compact UTF-8 JSON."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# ---- signing -------------------------------------------------------------------------------

def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's 加签 (before URL encoding)."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu's 签名校验: the string to sign is the HMAC key, the message is empty."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def signed(kind: str, url: str, body: dict, secret: str | None, now_s: float) -> tuple[str, bytes]:
    """The address and the bytes to post, signed as the kind requires when the channel has a secret."""
    if secret and kind == "dingtalk":
        stamp = int(now_s * 1000)
        query = urllib.parse.urlencode({"timestamp": stamp, "sign": dingtalk_sign(secret, stamp)})
        url = f"{url}{'&' if '?' in url else '?'}{query}"
    elif secret and kind == "feishu":
        stamp = int(now_s)
        body = {"timestamp": str(stamp), "sign": feishu_sign(secret, stamp), **body}
    return url, dumps(body)


# ---- answers -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Answer:
    """A robot's reply: ok, its code ("0", the robot's errcode, or timeout, unreachable, http, bad_answer),
    the robot's own message and the HTTP status."""

    ok: bool
    code: str
    message: str = ""
    http: int | None = None

    def as_dict(self) -> dict:
        return {"ok": self.ok, "code": self.code, "message": self.message, "http": self.http}


def answer(kind: str, status: int, body: bytes) -> Answer:
    """The reply to one post: WeCom and DingTalk answer {errcode, errmsg}, Feishu {code, msg} (older bots
    {StatusCode, StatusMessage}); any HTTP status but 200 is an error whatever the body."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        data = None
    code = text = None
    if isinstance(data, dict):
        if kind == "feishu":
            code, text = data.get("code", data.get("StatusCode")), data.get("msg", data.get("StatusMessage"))
        else:
            code, text = data.get("errcode"), data.get("errmsg")
    text = _one_line(text or "")[:300]
    if status != 200:
        return Answer(False, "http", text, status)
    if code is None:
        return Answer(False, "bad_answer", text, status)
    return Answer(str(code) == "0", str(code), text, status)


def answer_text(kind: str, found: dict | None, lang: str = "zh") -> str:
    """A reply in the user's language: the robot's code explained where known, its own message otherwise."""
    if not found:
        return ""
    code, message = str(found.get("code", "")), found.get("message") or ""
    if found.get("ok"):
        return i18n.t("notify.answer.ok", lang, code=code, message=message)
    for key in (f"notify.answer.{kind}.{code}", f"notify.answer.{code}"):
        if key in i18n.catalog():
            return i18n.t(key, lang, code=code, message=message, http=found.get("http"))
    return i18n.t("notify.answer.other", lang, code=code, message=message, http=found.get("http"))
