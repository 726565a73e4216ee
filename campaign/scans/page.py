"""The landing page a QR code opens when the phone cannot be sent straight to its store (issue 18): inside
WeChat, QQ, Alipay or DingTalk, whose browsers open no App Store or market link from a redirect, and on any
other device. Plain HTML with inline CSS and SVG, no script from elsewhere, no font, no picture to fetch:
a few KB that open on a weak mobile network and read on a 360 px screen. Chinese first, English below.

`html(…, in_app=True)` shows the drawn hint to tap ··· at the top right and open the page in the browser.
`static_html` is the same page for a county's own web server (`python -m campaign landing export`): a short
inline script makes the platform choice in the browser; nothing is counted there.
"""

import html as markup
import json

from campaign.infra import i18n

LIMIT = 20_000  # bytes: the page must stay small

_CSS = """*{box-sizing:border-box}
body{margin:0;font:16px/1.55 -apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
color:#222;background:#eef2f8;-webkit-text-size-adjust:100%}
.hint{display:none;background:#0b4ea2;color:#fff;padding:12px 96px 14px 16px;position:relative;min-height:74px}
.in-app .hint{display:block}
.hint p{margin:0;font-size:16px}.hint small{display:block;opacity:.85;font-size:13px}
.hint svg{position:absolute;right:8px;top:2px}
main{max-width:480px;margin:0 auto;padding:14px}
.card{background:#fff;border-radius:14px;padding:18px 16px;box-shadow:0 1px 4px rgba(0,0,0,.08);text-align:center}
h1{font-size:22px;margin:6px 0 4px;color:#0b4ea2}
.why{color:#444;font-size:15px;margin:0 0 14px}
.btn{display:block;padding:14px 10px;margin:10px 0;border-radius:10px;font-size:17px;font-weight:600;color:#fff;
text-decoration:none;background:#2e7d32}
.btn.ios{background:#1c1c1e}
.fallback{margin:14px 0 6px;padding:10px;border:1px dashed #0b4ea2;border-radius:10px;font-size:15px}
.fallback b{color:#0b4ea2}
.hotline{color:#c8102e;font-size:15px;margin:8px 0 0}
.caution{color:#777;font-size:13px;margin:4px 0 0}
.en{margin-top:16px;padding:14px 4px 0;border-top:1px solid #cfd6e0;color:#444;font-size:14px}
.en h2{font-size:16px;margin:0 0 6px;color:#333}.en p{margin:4px 0}
"""

# A ··· menu button at the top right with a curved arrow pointing at it (the hint is drawn, not a picture).
_HINT_SVG = """<svg width="84" height="70" viewBox="0 0 84 70" aria-hidden="true">
<rect x="40" y="6" width="40" height="22" rx="11" fill="#fff"/>
<circle cx="51" cy="17" r="3" fill="#0b4ea2"/><circle cx="60" cy="17" r="3" fill="#0b4ea2"/><circle cx="69" cy="17" r="3" fill="#0b4ea2"/>
<path d="M14 66 C 16 44, 34 36, 52 32" fill="none" stroke="#ffd54f" stroke-width="4" stroke-linecap="round"/>
<path d="M44 24 L 56 31 L 45 40" fill="none" stroke="#ffd54f" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/>
</svg>"""

_SHIELD_SVG = """<svg width="64" height="64" viewBox="0 0 64 64" aria-hidden="true">
<path d="M32 4 L56 13 V31 C56 46 45 56 32 60 C19 56 8 46 8 31 V13 Z" fill="#0b4ea2"/>
<path d="M21 32 L29 40 L44 24" fill="none" stroke="#fff" stroke-width="5" stroke-linecap="round" stroke-linejoin="round"/>
</svg>"""

# The same choice as campaign.scans.rules.platform, made in the browser (static pages only).
_SCRIPT = """(function(){var a=navigator.userAgent.toLowerCase(),s=%s;
if(/micromessenger|qq\\/|alipayclient|dingtalk/.test(a)){document.documentElement.className='in-app';return}
if(/iphone|ipad|ipod/.test(a)){location.replace(s.ios)}else if(/android/.test(a)){location.replace(s.android)}})();"""


def _t(key: str, lang: str) -> str:
    return markup.escape(i18n.t(f"scans.page.{key}", lang))


def html(ios_url: str, android_url: str, *, in_app: bool, script: str = "") -> str:
    """The landing page with both store buttons; `in_app` shows the hint to open it in the browser."""
    ios, android = markup.escape(ios_url, quote=True), markup.escape(android_url, quote=True)
    why = "why_in_app" if in_app else "why_other"
    english = "".join(f"<p>{_t(key, 'en')}</p>" for key in (why, "fallback", "hotline"))
    head = f"<script>{script}</script>" if script else ""
    return f"""<!doctype html>
<html lang="zh-CN"{' class="in-app"' if in_app else ''}><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex"><title>{_t('title', 'zh')}</title><style>{_CSS}</style>{head}</head>
<body><div class="hint">{_HINT_SVG}<p>{_t('hint', 'zh')}<small>{_t('hint', 'en')}</small></p></div>
<main><div class="card">{_SHIELD_SVG}
<h1>{_t('title', 'zh')}</h1><p class="why">{_t(why, 'zh')}</p>
<a class="btn ios" href="{ios}">{_t('ios', 'zh')}</a>
<a class="btn" href="{android}">{_t('android', 'zh')}</a>
<p class="fallback">{_t('fallback', 'zh')}</p>
<p class="hotline">{_t('hotline', 'zh')}</p><p class="caution">{_t('caution', 'zh')}</p></div>
<div class="en" lang="en"><h2>{_t('title', 'en')}</h2>{english}
<p><a href="{ios}">{_t('ios', 'en')}</a> · <a href="{android}">{_t('android', 'en')}</a></p></div></main></body></html>
"""


def static_html(ios_url: str, android_url: str) -> str:
    """The page for a county's own web server: the browser sends phones to their store, in-app browsers get the hint."""
    targets = json.dumps({"ios": ios_url, "android": android_url}).replace("</", "<\\/")
    return html(ios_url, android_url, in_app=False, script=_SCRIPT % targets)
