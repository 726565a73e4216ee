"""Responsibility letters (《防范电信网络诈骗责任书》) as documents: each unit's letter made from a template the
administrators edit (kept in the database), and the signed scan attached to the register.

The template is plain text with placeholders in braces ({unit}, {duties}, {quota} …, see FIELDS); only
those names are filled (never str.format: a template is user text). The duties differ for townships and
for county departments and are edited beside the template. A scan is a PDF or an image (PNG, JPEG),
its type read from its first bytes, at most the upload setting's size, kept in the database so that a
backup holds it. Administrators write; every write is audited.
"""

import re
from dataclasses import dataclass

from campaign.infra import audit, clock, i18n, settings
from campaign.infra.db import write
from campaign.infra.errors import FileRejected, InvalidValue, NotFound
from campaign.infra.tables import Upload
from campaign.installs import rankings
from campaign.org import access, units
from campaign.supervision import letters

FIELDS = ("county", "campaign", "issuer", "unit", "duties", "quota", "staff", "quota_total", "start", "deadline",
          "signatory", "signed_on", "issued_on")
TEMPLATES = ("body", "duties.township", "duties.department")
MAX_TEMPLATE = 20_000
PLACEHOLDER = re.compile(r"\{(\w*)\}")
# The file types a scan may be, by their first bytes, with the names' endings that may claim them.
SCAN_TYPES = ((b"%PDF-", "application/pdf", (".pdf",)), (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
              (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")))
BLANK_SIGNATORY = "＿＿＿＿＿＿＿＿"
BLANK_DATE = "　　　　年　　月　　日"


# ---- the template ------------------------------------------------------------------------

def default(key: str, lang: str = "zh") -> str:
    """The built-in text of a template part (body, duties.township, duties.department)."""
    return i18n.t(f"resp.template.{key}", lang)


def template(db, key: str = "body", lang: str = "zh") -> str:
    """A template part as the administrators left it, else the built-in text."""
    row = db.execute("SELECT body FROM letter_templates WHERE key = ?", [f"responsibility.{key}"]).fetchone()
    return default(key, lang) if row is None else row[0]


def edited(db) -> dict[str, bool]:
    """Which template parts the administrators changed."""
    keys = {k for (k,) in db.execute("SELECT key FROM letter_templates")}
    return {key: f"responsibility.{key}" in keys for key in TEMPLATES}


def check_template(text: str) -> str:
    """The text with its line ends tidied; refused when empty, too long, or with a brace that is not a known placeholder."""
    text = "\n".join(line.rstrip() for line in str(text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")).strip()
    if not text:
        raise InvalidValue("resp.empty_template", value="")
    if len(text) > MAX_TEMPLATE:
        raise InvalidValue("resp.template_too_long", value=len(text), max=MAX_TEMPLATE)
    unknown = sorted({name for name in PLACEHOLDER.findall(text) if name not in FIELDS})
    stray = PLACEHOLDER.sub("", text)
    if unknown or "{" in stray or "}" in stray:
        raise InvalidValue("resp.bad_placeholder", value="、".join(f"{{{n}}}" for n in unknown) or "{ }",
                           known="、".join(f"{{{n}}}" for n in FIELDS))
    return text


def save_template(db, actor, key: str, text: str) -> None:
    """Store a template part (administrators; audited with the old and the new text)."""
    access.require_admin(actor)
    if key not in TEMPLATES:
        raise InvalidValue("resp.no_such_template", value=key)
    text = check_template(text)
    with write(db):
        old = db.execute("SELECT body FROM letter_templates WHERE key = ?", [f"responsibility.{key}"]).fetchone()
        if old is not None and old[0] == text:
            return
        db.execute("INSERT INTO letter_templates (key, body, updated_by, updated_at) VALUES (?, ?, ?, ?)"
                   " ON CONFLICT(key) DO UPDATE SET body = excluded.body, updated_by = excluded.updated_by,"
                   " updated_at = excluded.updated_at", [f"responsibility.{key}", text, actor.name, clock.stamp()])
        audit.record(db, actor, "update", "letter_template", f"responsibility.{key}", old=old and old[0], new=text)


def reset_template(db, actor, key: str) -> None:
    """Go back to the built-in text of a template part (administrators; audited)."""
    access.require_admin(actor)
    with write(db):
        old = db.execute("SELECT body FROM letter_templates WHERE key = ?", [f"responsibility.{key}"]).fetchone()
        if old is None:
            return
        db.execute("DELETE FROM letter_templates WHERE key = ?", [f"responsibility.{key}"])
        audit.record(db, actor, "delete", "letter_template", f"responsibility.{key}", old=old[0])


def fill(text: str, values: dict) -> str:
    """The template with each known {placeholder} replaced by its value (anything else is left as written)."""
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text)


# ---- a unit's letter ---------------------------------------------------------------------

@dataclass(frozen=True)
class Document:
    """One unit's responsibility letter, filled in: its title and its lines (blank lines separate paragraphs)."""

    unit_id: int
    code: str
    unit: str
    title: str
    lines: tuple


def issuer(conf: dict) -> str:
    """The county's side of the letter: the leading group (the letterhead without its 办公室)."""
    head = letters.letterhead(conf)
    return head[:-3] if head.endswith("办公室") else head


def documents(db, unit_ids=None, lang: str = "zh") -> list[Document]:
    """The letters of the ranked units (or of those given), in the register's order, filled from the template."""
    conf = settings.get_all(db)
    register = letters.responsibility(db)
    if unit_ids is not None:
        register = register[register["unit_id"].isin([int(u) for u in unit_ids])]
    if register.empty:
        raise NotFound("error.unit_not_found", unit=",".join(map(str, unit_ids or [])))
    figures = rankings.unit_ranking(db).set_index("unit_id")
    body, duties = template(db, "body", lang), {g: template(db, f"duties.{g}", lang) for g in ("township", "department")}
    day = lambda value: letters.format_day(value, lang)  # noqa: E731
    made = []
    for row in register.itertuples():
        shown = figures.loc[row.unit_id] if row.unit_id in figures.index else None
        values = {
            "county": conf["county_name"], "campaign": conf["campaign_name"], "issuer": issuer(conf), "unit": row.unit,
            "duties": duties.get(row.group, duties["department"]),
            "quota": units.effective_quota(db, row.unit_id, conf["default_quota"]),
            "staff": 0 if shown is None else int(shown["staff"]), "quota_total": 0 if shown is None else int(shown["quota_total"]),
            "start": day(conf["start_date"]), "deadline": day(conf["deadline"]),
            "signatory": row.signed_by if row.signed else BLANK_SIGNATORY,
            "signed_on": day(row.signed_on) if row.signed else BLANK_DATE, "issued_on": day(clock.today()),
        }
        lines = fill(body, values).split("\n")
        title = next((line.strip() for line in lines if line.strip()), "")
        rest = lines[next(i for i, line in enumerate(lines) if line.strip()) + 1:]
        made.append(Document(int(row.unit_id), row.code, row.unit, title, tuple(rest)))
    return made


# ---- the signed scan ---------------------------------------------------------------------

def scan_type(upload: Upload) -> str:
    """The MIME type of a scan, read from its first bytes; refused when they are no PDF, PNG or JPEG, or the
    file's name claims another type."""
    name = upload.name.lower()
    for magic, mime, endings in SCAN_TYPES:
        if upload.data.startswith(magic):
            if not name.endswith(endings):
                raise FileRejected("resp.scan_not_as_named", name=upload.name)
            return mime
    raise FileRejected("resp.scan_type", name=upload.name)


def attach_scan(db, actor, unit_id: int, upload: Upload) -> None:
    """Attach (or replace) the signed letter's scan of a unit that signed (administrators; audited)."""
    access.require_admin(actor)
    unit = units.get_unit(db, int(unit_id))
    limit = settings.get(db, "upload_max_mb") * 1024 * 1024
    if len(upload.data) > limit:
        raise FileRejected("file.too_large", size=len(upload.data), limit=limit)
    if not upload.data:
        raise FileRejected("resp.scan_type", name=upload.name)
    mime = scan_type(upload)
    name = re.sub(r"[\\/\x00-\x1f]", "_", upload.name.replace("\\", "/").rsplit("/", 1)[-1])[:200]
    with write(db):
        if db.execute("SELECT 1 FROM responsibility_letters WHERE unit_id = ?", [unit.id]).fetchone() is None:
            raise InvalidValue("resp.sign_first", unit=unit.name)
        old = db.execute("SELECT name, sha256 FROM responsibility_scans WHERE unit_id = ?", [unit.id]).fetchone()
        db.execute("INSERT INTO responsibility_scans (unit_id, name, mime, size, sha256, data, uploaded_by, uploaded_at)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(unit_id) DO UPDATE SET name = excluded.name,"
                   " mime = excluded.mime, size = excluded.size, sha256 = excluded.sha256, data = excluded.data,"
                   " uploaded_by = excluded.uploaded_by, uploaded_at = excluded.uploaded_at",
                   [unit.id, name, mime, len(upload.data), upload.sha256, upload.data, actor.name, clock.stamp()])
        audit.record(db, actor, "attach", "responsibility_scan", unit.id, unit_id=unit.id,
                     old=old and {"name": old[0], "sha256": old[1]},
                     new={"name": name, "mime": mime, "size": len(upload.data), "sha256": upload.sha256})


def scan(db, unit_id: int) -> tuple[str, str, bytes] | None:
    """A unit's signed scan: (file name, MIME type, bytes), or None."""
    row = db.execute("SELECT name, mime, data FROM responsibility_scans WHERE unit_id = ?", [int(unit_id)]).fetchone()
    return None if row is None else (row[0], row[1], bytes(row[2]))
