"""Small builders for tests: load CSV text through the same import code users use; run the command line in-process."""

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from campaign import features
from campaign.infra.tables import Upload
from campaign.org import access

ADMIN = access.Actor("admin", access.ADMIN)


def load(db, kind: str, text: str, actor=ADMIN, name=None, **kw):
    """Import CSV text (first line = headers) as `kind`."""
    return features.run_import(db, actor, kind, Upload(name or f"{kind}.csv", text.strip().encode("utf-8")), **kw)


def small_county(db, start="2026-11-20", deadline="2026-12-19"):
    """Two townships and three departments; staff with overrides and an inactive person."""
    from campaign.infra import settings

    settings.update(db, ADMIN, {"start_date": start, "deadline": deadline})
    load(db, "units", """
code,name,type,parent,quota,quota_reason
C,测试县,county,,
T1,甲镇,township,C,
T2,乙镇,township,C,
D1,县一局,department,C,
D2,县二局,department,C,10,人员多为外勤
D3,县三局,department,C,
""")
    load(db, "staff", """
unit,name,phone,active,quota,quota_reason
甲镇,张一,13800000001,是,
甲镇,张二,13800000002,是,
乙镇,李一,13800000003,是,
乙镇,李二,13800000004,否,
县一局,王一,,是,
县二局,赵一,,是,
县二局,赵二,,是,20,新入职
县三局,钱一,,是,
""")


def count(db, table: str) -> int:
    return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


@dataclass
class Ran:
    """What a command printed and its exit status, as from a subprocess."""

    returncode: int
    stdout: str
    stderr: str


def run(db_path, *args, env_extra=None, stdin=None) -> Ran:
    """`python -m campaign ARGS` on `db_path`, in this process (click's CliRunner: milliseconds, not a new interpreter)."""
    from campaign.cli import cli

    env = {"CAMPAIGN_DB": str(db_path), "CAMPAIGN_TODAY": "2026-11-28", **(env_extra or {})}
    result = CliRunner().invoke(cli, [str(a) for a in args], env=env, input=stdin, prog_name="python -m campaign")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(result.exit_code, result.stdout, result.stderr)


ROOT = Path(__file__).resolve().parent.parent


def run_process(db_path, *args, env_extra=None, stdin=None) -> subprocess.CompletedProcess:
    """The real `python -m campaign ARGS` in a new interpreter (a few smoke tests: the module runs as a program)."""
    env = {**os.environ, "CAMPAIGN_DB": str(db_path), "CAMPAIGN_TODAY": "2026-11-28", **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "campaign", *map(str, args)], cwd=ROOT, env=env, capture_output=True,
                          text=True, input=stdin)
