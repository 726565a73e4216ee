"""Property-based (issue 16): whatever bytes, texts and numbers a file holds, every import kind's reader and
checker answer with a clean result or a named, translated error — never another exception — and a clean file
applies without one (no overflow, no crash at the write)."""

import csv
import io
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from campaign import features
from campaign.accounts import users
from campaign.infra import i18n
from campaign.infra.errors import CampaignError, RowsRejected
from campaign.infra.imports import ImportResult
from campaign.infra.tables import Upload
from tests.helpers import ADMIN, count

KINDS = features.import_kinds()
AWKWARD = ["", " ", "-0", "+0", "0", "1", "3.0", "2.5", "inf", "-inf", "nan", "1e3", "1e400", str(2**63), str(2**64),
           "4611686018427387904", "-1", "１２", "2026-11-27", "2026/11/27", "2026-12-03T25:00", "2026-02-30", "9999-12-31",
           "是", "否", "yes", "甲镇", "乙镇", "T1", "县一局", "张一", "13800000001", "17岁", "85+", "15-19", "54.94%",
           "150%", "=1+1", "＝1+1", "张\u202e三", "\u200b", "a\x00b", "![x](http://h/x.png)", "<img onerror=x>", "x" * 300]
CELL = st.one_of(st.sampled_from(AWKWARD), st.text(max_size=10), st.integers(-2**70, 2**70).map(str),
                 st.floats(allow_nan=True, allow_infinity=True).map(str))


def headers_of(spec) -> list[str]:
    return [alias for name, aliases in spec.columns.items() for alias in (name, *aliases)]


# Values that mean something in the demo county (a township, a department, a person, codes of each registry):
# rows built of these get past the file checks into the row checks, the scope checks and the write.
DEMO = ["城厢镇", "T01", "大吉山镇", "T02", "县公安局", "D018", "县工业园区管委会", "S01-07", "S01-07-01", "V01-01",
        "G01-001", "城南社区", "城厢中心小学", "小学", "企业", "银行", "第一轮督导", "全南县", "2026-11-27", "2026-11-28"]


EXAMPLE = {"县示例局": "县公安局", "城厢中心小学": "城厢第二小学", "张三": "张示例"}


def plausible(spec) -> dict[str, list[str]]:
    """Each column's cell in the kind's template example (a value the checker accepts somewhere)."""
    return {name: [row[i] for row in spec.example if i < len(row)] for i, name in enumerate(spec.columns)}


@st.composite
def tables(draw, spec):
    """A header and rows as a user's file would hold them: random bytes now and then, a chaotic header (any
    aliases, repeated, unknown) now and then, and mostly each column once under one of its names, in any order,
    with cells of the template's, the demo county's or awkward values (and a row too short or too long)."""
    shape = draw(st.integers(0, 11))
    if shape == 0:
        return None
    if shape == 1:
        header = draw(st.lists(st.sampled_from(headers_of(spec) + ["备注", "", "x"]), min_size=1, max_size=9))
        cells = [CELL] * len(header)
    elif shape <= 4:  # the template's example, in the demo county's words, with a cell or two changed
        rows = [[EXAMPLE.get(v, v) for v in row] for row in spec.example]
        for _ in range(draw(st.integers(0, 2))):
            row = draw(st.sampled_from(rows))
            row[draw(st.integers(0, len(row) - 1))] = draw(CELL)
        return [[aliases[0] if aliases else name for name, aliases in spec.columns.items()], *rows]
    else:
        optional = [name for name in spec.columns if name not in spec.required]
        chosen = list(spec.required) + draw(st.lists(st.sampled_from(optional), unique=True)) if optional else list(spec.required)
        chosen = draw(st.permutations(chosen))
        header = [draw(st.sampled_from((name, *spec.columns[name]))) for name in chosen]
        known = plausible(spec)
        cells = [st.one_of(st.sampled_from(known[name] or DEMO), st.sampled_from(DEMO), CELL) for name in chosen]
    row = st.tuples(*cells).map(list)
    rows = draw(st.lists(st.one_of(row, row, row, st.lists(CELL, max_size=len(header) + 1)), max_size=6))
    return [header, *rows]


@st.composite
def files(draw, spec):
    """A file for `spec`: random bytes, or a table (`tables`) as CSV in one of Excel's encodings or as .xlsx."""
    table = draw(tables(spec))
    if table is None:
        return Upload(draw(st.sampled_from(["f.csv", "f.xlsx", "f.txt"])), draw(st.binary(max_size=400)))
    if draw(st.booleans()):
        book = Workbook()
        for row in table:
            book.active.append([ILLEGAL_CHARACTERS_RE.sub("", v) for v in row])
        out = io.BytesIO()
        book.save(out)
        return Upload("f.xlsx", out.getvalue())
    text = io.StringIO()
    csv.writer(text).writerows(table)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    return Upload("f.csv", text.getvalue().encode(encoding, errors="replace"))


OPTIONS = st.fixed_dictionaries({}, optional={"year": st.one_of(CELL, st.integers(-10**6, 10**6)), "as_of": CELL,
                                              "kind": st.sampled_from(["resident", "household", "x"]), "source": CELL})


@pytest.fixture(scope="module")
def county(demo_template, tmp_path_factory):
    """One demo county for the whole module: what a clean file writes, the next file meets."""
    path = tmp_path_factory.mktemp("fuzz") / "county.db"
    shutil.copy(demo_template, path)
    return features.connect(path)


def assert_named(error: CampaignError) -> None:
    """A known code with its sentence in both languages (and so for every bad row)."""
    for named in [error, *(error.errors if isinstance(error, RowsRejected) else [])]:
        assert named.code in i18n.catalog(), named.code
        for lang in ("zh", "en"):
            i18n.error_text(named, lang)


def outcome(db, actor, kind, upload, options, dry_run):
    """The rows a clean file holds, or the named error (with every bad row) it gets; never another exception."""
    try:
        result = features.run_import(db, actor, kind, upload, dry_run=dry_run, options=options)
    except CampaignError as error:
        assert_named(error)
        return error.code, sorted((e.row, e.column, e.code) for e in getattr(error, "errors", []))
    assert isinstance(result, ImportResult) and result.dry_run == dry_run
    return result.rows


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_any_file_gets_a_clean_result_or_a_named_error(county, kind):
    actors = [ADMIN, users.get_actor(county, "coord_cx")]

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(upload=files(KINDS[kind]), options=OPTIONS, actor=st.sampled_from(actors))
    def check(upload, options, actor):
        before = count(county, "audit")
        checked = outcome(county, actor, kind, upload, options, dry_run=True)
        assert count(county, "audit") == before  # a dry run writes nothing
        applied = outcome(county, actor, kind, upload, options, dry_run=False)
        assert applied == checked  # the dry run and the import agree (no crash, no overflow at the write)
        assert (count(county, "audit") > before) == isinstance(applied, int)  # refused: nothing written

    check()


@settings(max_examples=300, deadline=None, database=None)
@given(text=st.one_of(CELL, st.text(), st.none()), limit=st.integers(0, 2**63))
def test_cell_parsers_never_raise_and_stay_in_bounds(text, limit):
    from campaign.infra import parse

    number, reason = parse.parse_count(text, limit)
    assert (number is None) != (reason is None) and (number is None or 0 <= number <= limit)
    whole = parse.parse_whole(text)
    assert whole is None or (isinstance(whole, int) and abs(whole) < 10**30)
    parse.parse_date(text)
    parse.positive_int(text, limit)
