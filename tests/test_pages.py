"""Every page opens for an administrator, in Chinese and English, without an exception or error box."""

import pytest

from tests.apptest import errors, open_page
from ui import nav


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", [p.key for p in nav.PAGES])
def test_page_opens(demo_path, page, lang):
    at = open_page(demo_path, page, lang=lang)
    assert errors(at) == []


@pytest.mark.parametrize("user, role", [("leader", "leader"), ("coord_cx", "coordinator"), ("grid_cx", "grid_worker")])
def test_a_role_s_app_registers_only_its_menu(demo_path, user, role):
    """The router registers only the role's pages, so no other page can be reached, by menu or by address
    (in a browser the address falls back to the first page: tests/e2e/test_pages_browser.py)."""
    at = open_page(demo_path, user=user)
    allowed = {p.key for p in nav.pages_for(role)}
    for page in nav.PAGES:
        if page.key in allowed:
            at.switch_page(page.path)
        else:
            with pytest.raises(ValueError):
                at.switch_page(page.path)
