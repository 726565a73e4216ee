"""Journey 5 (issues 8, 17): on a phone (390 px), every page in the menu of every demo role opens without an exception
or an error box and reads right: in Chinese no visible None/nan, ISO timestamp, raw JSON, setting key or Streamlit
English ("Upload", "Choose options", "View … more", "per file"), and no table whose name column can be swiped out of
view; in English no Chinese-only label (names aside). The pages come from ui/nav.py and the roles from the demo
accounts, so pages added later are walked too. A page outside the menu cannot be opened by its address."""

import re

import pytest

from campaign import features
from campaign.accounts import auth
from campaign.accounts.demo import DEMO_USERS
from campaign.infra import settings
from tests.e2e.conftest import PHONE, new_page, open_url, page_problems, settle, shot, sign_in  # noqa: I001
from ui import nav

pytestmark = pytest.mark.e2e
LANG = {"zh-CN": "zh", "en-US": "en"}
USERS = [name for name, *_ in DEMO_USERS]
ROLE = {name: role for name, role, _, _ in DEMO_USERS}
SETTING_KEYS = [key for key in settings.specs() if "_" in key]  # (features registered them on import)
RAW = [
    (re.compile(r"(?<![\w.])(None|nan|NaN|NaT)(?![\w.])"), "an empty value shown raw"),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d"), "an ISO timestamp"),
    (re.compile(r"\{\s*\""), "raw JSON"),
    (re.compile(r"(?m)^Upload$|Choose options?|View \d* ?(more|less)|per file|Drag and drop|Browse files|No options"),
     "Streamlit's English"),
]
# The visible text of the main area, without icon ligatures (their text is the icon's name) and without what is
# hidden (collapsed expanders, other tabs): innerText leaves those out.
VISIBLE = """() => { const main = document.querySelector('[data-testid="stMain"]').cloneNode(true);
  main.querySelectorAll('[data-testid="stIconMaterial"], style, script').forEach(e => e.remove());
  const live = document.querySelector('[data-testid="stMain"]');
  return live.innerText.replace(/\\b(upload|download|save|login|logout|visibility|keyboard_arrow_\\w+|check_circle|\\w+_\\w+)\\b/g, ''); }"""
# Every grid wider than its box must keep its first column pinned: scrolled to the far right, the first column's
# header must still be drawn at the grid's left edge (glide draws pinned columns at a fixed place).
PINNED = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stDataFrame"]')].filter(g => g.offsetParent)
  .map(g => { const s = g.querySelector('.dvn-scroller'); if (!s || s.scrollWidth <= s.clientWidth + 2) return null;
    const first = g.querySelector('[role=columnheader]'); const before = first && first.innerText;
    s.scrollLeft = s.scrollWidth; return before; }).filter(x => x !== null)"""
FIRST_HEADERS = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stDataFrame"]')].filter(g => g.offsetParent)
  .map(g => { const s = g.querySelector('.dvn-scroller'); if (!s || s.scrollWidth <= s.clientWidth + 2) return null;
    const h = g.querySelector('[role=columnheader][aria-colindex="1"], [role=columnheader]'); return h && h.innerText; })
  .filter(x => x !== null)"""


def problems_in(text: str, lang: str) -> list[str]:
    """What reads wrong in a page's visible text."""
    found = []
    if lang == "zh":
        found += [f"{why}: {m.group(0)!r}" for pattern, why in RAW for m in [pattern.search(text)] if m]
        found += [f"a setting key: {key}" for key in SETTING_KEYS if re.search(rf"(?<![\w/.]){key}(?![\w/.])", text)]
    else:
        found += [f"{why}: {m.group(0)!r}" for pattern, why in RAW[:2] + RAW[3:] for m in [pattern.search(text)] if m]
        # Chinese-only labels: a line of Chinese with no Latin word in it is a label left untranslated (names of
        # units and people are Chinese in both languages: a line holding a Latin word next to them is fine).
        labels = [line for line in text.splitlines() if re.search(r"[\u4e00-\u9fff]", line) and not re.search(r"[A-Za-z]", line)
                  and len(line) > 12]
        found += [f"Chinese-only text: {line[:40]!r}" for line in labels[:3]]
    return found


@pytest.mark.parametrize("user", USERS)
def test_every_page_of_a_role_reads_right_on_a_phone_and_no_other_opens(server, browser, demo_template, locale, user):
    lang = LANG[locale]
    db = features.connect(demo_template)
    me = auth.resolve(db, auth.start_session(db, user))
    menu = [p.key for p in nav.menu(db, me)]  # as the router builds it, the landing page first
    menu.insert(0, menu.pop(menu.index(nav.landing(db, me, nav.menu(db, me)))))
    db.conn.close()
    page = new_page(browser, locale, PHONE)
    sign_in(page, server, user, lang)
    allowed = [p.key for p in nav.pages_for(ROLE[user])]
    failures = {}
    for i, key in enumerate(menu):
        if i:  # the signed-in user starts on their landing page; then the menu's links, without reloading the app
            page.locator(f'[data-testid="stSidebarNavLink"][href$="/{key}"]').first.dispatch_event("click")
            settle(page)
        page.locator('[data-testid="stMain"] h2, [data-testid="stException"]').first.wait_for()
        settle(page, 200)
        found = page_problems(page) + problems_in(page.evaluate(VISIBLE), lang)
        if lang == "zh":
            headers = page.evaluate(FIRST_HEADERS)
            page.evaluate(PINNED)
            page.wait_for_timeout(200)
            after = page.evaluate(FIRST_HEADERS)
            found += [f"a table's name column scrolls out of view ({h!r})" for h, a in zip(headers, after) if h != a]
        if found:
            failures[key] = found
            shot(page, f"walk-{user}-{key}-{lang}")
    assert failures == {}

    # The address of a page outside the menu opens the first page (tried in Chinese).
    for key in [p.key for p in nav.PAGES if p.key not in allowed and lang == "zh"][:1]:
        open_url(page, server, key)
        page.get_by_role("dialog").wait_for()  # Streamlit: "Page not found … Running the app's main page."
        assert page_problems(page) == [], key
    page.context.close()
