"""The command line: init, import (refusing bad files, writing nothing), report units."""

import json
import time

import pytest

from campaign import features
from tests.helpers import ROOT, count, run, run_process


def test_init_is_idempotent(tmp_path):
    path = tmp_path / "x.db"
    assert run(path, "init").returncode == 0
    assert run(path, "init").returncode == 0
    assert count(features.connect(path), "units") == 0


def test_import_and_report(tmp_path):
    path = tmp_path / "x.db"
    units = tmp_path / "units.csv"
    units.write_text("编码,名称,类型,上级\nC,县,县,\nT1,甲镇,乡镇,C\nD1,一局,县直单位,C\n", encoding="utf-8")
    staff = tmp_path / "staff.csv"
    staff.write_text("单位,姓名\n甲镇,张一\n甲镇,张二\n一局,王一\n", encoding="utf-8")
    installs = tmp_path / "installs.csv"
    installs.write_text("单位,姓名,日期,安装数\n甲镇,张一,2026-11-28,30\n甲镇,张二,2026-11-28,9\n", encoding="utf-8")
    for kind, file in (("units", units), ("staff", staff), ("installs", installs)):
        result = run(path, "import", kind, str(file))
        assert result.returncode == 0, result.stderr
    report = json.loads(run(path, "report", "units", "--date", "2026-11-28", "--format", "json").stdout)
    assert [(r["unit"], r["group"], r["rank"], r["staff"], r["quota_total"], r["installs"], r["completion"]) for r in report] == [
        ("甲镇", "township", 1, 2, 60, 39, 0.65),
        ("一局", "department", 1, 1, 30, 0, 0.0),
    ]


def test_bad_file_exits_nonzero_and_writes_nothing(tmp_path):
    path = tmp_path / "x.db"
    run(path, "init")
    bad = tmp_path / "units.csv"
    bad.write_text("code,name,type\nA,甲,乡镇\nB,乙,外星\nA,丙,乡镇\n", encoding="utf-8")
    result = run(path, "import", "units", str(bad))
    assert result.returncode == 1
    assert "row 3 [type]: Unknown unit type: 外星" in result.stderr
    assert "row 4 [code]: Code A repeats row 2" in result.stderr
    assert count(features.connect(path), "units") == 0


@pytest.mark.parametrize("fmt, check", [("csv", lambda out: out.startswith("unit,code,group,rank")),
                                        ("table", lambda out: "completion" in out.splitlines()[0])])
def test_report_formats(demo_path, fmt, check):
    result = run(demo_path, "report", "units", "--format", fmt)
    assert result.returncode == 0 and check(result.stdout)



@pytest.mark.parametrize("command", [["report", "units"], ["report", "outreach"], ["report", "talks"],
                                     ["report", "outreach-table", "schools", "classes"], ["bulletin", "--out", "x.png"]])
@pytest.mark.parametrize("day", ["garbage", "2026-02-30", "2026-13-01"])
def test_a_bad_date_is_a_usage_error_for_every_command(demo_path, command, day):
    result = run(demo_path, *command, "--date", day)
    assert result.returncode == 2 and f"not a date: '{day}'" in result.stderr and "Traceback" not in result.stderr


def test_a_date_may_be_written_as_people_do(demo_path):
    iso = json.loads(run(demo_path, "report", "units", "--date", "2026-11-27", "--format", "json").stdout)
    assert json.loads(run(demo_path, "report", "units", "--date", "2026年11月27日", "--format", "json").stdout) == iso

# ---- the real program: a few smoke tests in a new interpreter ------------------------------------

def test_python_m_campaign_runs_as_a_program(tmp_path):
    path = tmp_path / "x.db"
    assert run_process(path, "init").returncode == 0
    result = run_process(path, "report", "units", "--format", "json")
    assert result.returncode == 0 and json.loads(result.stdout) == []
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,type\nA,甲,外星\n", encoding="utf-8")
    refused = run_process(path, "import", "units", bad)
    assert refused.returncode == 1 and "row 2 [type]: Unknown unit type: 外星" in refused.stderr


def test_help_loads_no_pdf_chart_table_or_demo_module(tmp_path):
    """`python -m campaign --help` imports click and the features' declarations only (it starts in well under 0.5 s)."""
    probe = ("import sys, runpy; sys.argv = ['campaign', '--help']\n"
             "try:\n    runpy.run_module('campaign', run_name='__main__')\nexcept SystemExit:\n    pass\n"
             "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'pandas', 'numpy', 'pyarrow', 'fpdf', 'matplotlib',"
             " 'PIL', 'segno', 'openpyxl', 'docx', 'sqlite_utils', 'argon2'})\n"
             "loaded = sorted(m for m in sys.modules if m.endswith('.demo') or m in ('campaign.demo', 'campaign.city'))\n"
             "print('HEAVY', heavy, loaded)")
    import subprocess
    import sys

    began = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert "HEAVY [] []" in result.stdout, result.stdout + result.stderr
    assert "Commands:" in result.stdout and time.perf_counter() - began < 10  # a generous bound: no timing claims here
