"""Upload limits: too large for the setting, not the claimed type, absurd workbook dimensions, zip bombs.

Each is refused with a clear message code and nothing is written.
"""

import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from campaign import features
from campaign.infra import i18n, settings
from campaign.infra.errors import FileRejected
from campaign.infra.tables import Upload
from tests.helpers import ADMIN, count, small_county


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewrite(data: bytes, name: str, change) -> bytes:
    """The same workbook with one member's content changed."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info.filename, change(content) if info.filename == name else content)
    return out.getvalue()


GOOD = xlsx([["单位", "姓名", "日期", "安装数"], ["甲镇", "张一", "2026-11-25", 3]])
SHEET = "xl/worksheets/sheet1.xml"


def absurd_dimension(data):
    return rewrite(data, SHEET, lambda xml: re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD1048576"', xml))


def zip_bomb(data):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in zipfile.ZipFile(io.BytesIO(data)).infolist():
            target.writestr(info.filename, zipfile.ZipFile(io.BytesIO(data)).read(info.filename))
        target.writestr("xl/media/padding.bin", b"\0" * (60 * 1024 * 1024))
    return out.getvalue()


def no_workbook(data):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        target.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.mark.parametrize(
    "name, data, code",
    [
        ("installs.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "file.bad_type"),
        ("installs.pdf", b"%PDF-1.7\n", "file.bad_type"),
        ("installs", b"a,b\n1,2\n", "file.bad_type"),
        ("installs.xlsx", "单位,姓名,日期,安装数\n甲镇,张一,2026-11-25,3\n".encode(), "file.not_excel"),
        ("installs.xlsx", no_workbook(GOOD), "file.not_excel"),
        ("installs.xlsx", b"PK\x03\x04 truncated", "file.not_excel"),
        ("installs.csv", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "file.not_text"),
        ("installs.csv", GOOD, "file.not_text"),
        ("installs.xlsx", absurd_dimension(GOOD), "file.too_many_cells"),
        ("installs.xlsx", zip_bomb(GOOD), "file.too_large_unpacked"),
        ("installs.csv", ("a," * 250 + "\n").encode(), "file.too_many_cells"),
    ],
    ids=["xls", "pdf", "no-suffix", "csv-named-xlsx", "zip-not-workbook", "broken-zip", "png-named-csv",
         "xlsx-named-csv", "absurd-dimensions", "zip-bomb", "too-many-columns"],
)
def test_refused_files(db, name, data, code):
    small_county(db)
    before = count(db, "install_reports"), count(db, "imports")
    with pytest.raises(FileRejected) as caught:
        features.run_import(db, ADMIN, "installs", Upload(name, data))
    assert caught.value.code == code
    assert (count(db, "install_reports"), count(db, "imports")) == before
    for lang in ("zh", "en"):  # a clear sentence, not a code
        assert not i18n.error_text(caught.value, lang).startswith("file.")


def test_the_good_workbook_is_accepted(db):
    small_county(db)
    assert features.run_import(db, ADMIN, "installs", Upload("installs.xlsx", GOOD)).rows == 1


def test_size_limit_follows_the_setting(db):
    small_county(db)
    settings.update(db, ADMIN, {"upload_max_mb": 1})
    body = "单位,姓名,日期,安装数\n" + "甲镇,张一,2026-11-25,3\n" + "\n" * (1024 * 1024)
    with pytest.raises(FileRejected) as caught:
        features.run_import(db, ADMIN, "installs", Upload("big.csv", body.encode()))
    assert (caught.value.code, caught.value.params["limit"]) == ("file.too_large", 1024 * 1024)
    assert count(db, "install_reports") == 0
    settings.update(db, ADMIN, {"upload_max_mb": 2})
    assert features.run_import(db, ADMIN, "installs", Upload("big.csv", body.encode())).rows == 1
