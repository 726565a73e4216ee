"""The command line: init, import (refusing bad files, writing nothing), report units."""

import json
import subprocess
import sys

import pytest

from campaign import db as database
from tests.helpers import count

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


def run(db_path, *args, env_extra=None):
    import os

    env = {**os.environ, "CAMPAIGN_DB": str(db_path), "CAMPAIGN_TODAY": "2026-11-28", **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "campaign", *args], cwd=ROOT, env=env, capture_output=True, text=True)


def test_init_is_idempotent(tmp_path):
    path = tmp_path / "x.db"
    assert run(path, "init").returncode == 0
    assert run(path, "init").returncode == 0
    assert count(database.connect(path), "units") == 0


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
    assert count(database.connect(path), "units") == 0


@pytest.mark.parametrize("fmt, check", [("csv", lambda out: out.startswith("unit,code,group,rank")),
                                        ("table", lambda out: "completion" in out.splitlines()[0])])
def test_report_formats(demo_path, fmt, check):
    result = run(demo_path, "report", "units", "--format", fmt)
    assert result.returncode == 0 and check(result.stdout)
