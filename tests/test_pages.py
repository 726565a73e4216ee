"""Every page opens for an administrator, in Chinese and English, without an exception or error box."""

import pytest

from campaign import access
from tests.apptest import errors, open_page


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", [p.key for p in access.PAGES])
def test_page_opens(demo_path, page, lang):
    at = open_page(demo_path, page, lang=lang)
    assert errors(at) == []
