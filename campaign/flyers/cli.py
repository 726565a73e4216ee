"""`python -m campaign flyers …` (issue 4): QR-code flyers as a PDF or pictures, with a progress bar."""

import re
from pathlib import Path

import click

from campaign.flyers import spec
from campaign.infra.cli import actor as cli_actor
from campaign.infra.cli import fail, pass_root
from campaign.infra.errors import CampaignError, InvalidValue


def picture_paths(out: Path, codes) -> list[Path]:
    """FILE.png for one location; FILE-<code>.png for each of several."""
    codes = list(codes)
    if len(codes) == 1:
        return [out]
    return [out.with_name(f"{out.stem}-{re.sub(r'[^0-9A-Za-z._-]+', '_', code)}{out.suffix}") for code in codes]


@click.command("flyers")
@click.option("--kind", type=click.Choice(spec.KINDS), required=True,
              help="poster (A4 window poster), cards (A4 sheet of hand-out cards), slip (school take-home slips).")
@click.option("--for", "choices", multiple=True, required=True, metavar="WHAT",
              help="windows, grids, schools (every class) or location/unit codes; repeatable, comma- or space-separated.")
@click.argument("more", nargs=-1, metavar="[CODE]...")
@click.option("--township", default=None, help="Only this township (code or name).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False),
              help="FILE.pdf (one PDF) or FILE.png (a picture per location).")
@click.option("--cards", type=click.Choice([str(n) for n in spec.CARD_COUNTS]), default=str(spec.DEFAULT_CARDS),
              show_default=True, help="Cards per A4 sheet (--kind cards).")
@click.option("--copies", type=click.IntRange(1, spec.MAX_COPIES), default=1, show_default=True,
              help="Pages per location in the PDF.")
@pass_root
def flyers_command(root, kind, choices, more, township, out, cards, copies):
    """Print QR-code flyers for windows, grids or school classes; the print is logged.

    Example: python -m campaign flyers --kind poster --for windows --township 城厢镇 --out posters.pdf

    Example: python -m campaign flyers --kind cards --for G01-001 G01-002 --out cards.png
    """
    from campaign.flyers import store

    out = Path(out)
    wanted = [part for value in (*choices, *more) for part in re.split(r"[,\s，]+", value) if part]
    try:
        fmt = {".pdf": "pdf", ".png": "png"}.get(out.suffix.lower())
        if fmt is None:
            raise InvalidValue("flyers.error.bad_out", value=out.name)
        db, actor = root.connect(), cli_actor()
        locations = store.select(db, actor, wanted, township=township)
        with click.progressbar(length=len(locations), label=f"{kind} × {len(locations)}", file=click.get_text_stream("stderr")) as bar:
            made = store.make(db, actor, kind, locations, cards=int(cards), copies=copies, fmt=fmt,
                                     progress=lambda done, total: bar.update(done - bar.pos))
    except CampaignError as error:
        fail(error)
    write_made(out, made, kind, f"locations {len(made.locations)}, pages {made.pages}, pieces {made.pieces}")


def write_made(out: Path, made, label: str, summary: str) -> None:
    """Write a made PDF to `out`, or its pictures beside it (one per code), and say what was written."""
    out.parent.mkdir(parents=True, exist_ok=True)
    if made.format == "pdf":
        out.write_bytes(made.data)
        click.echo(f"{out}: {label}, {summary} (logged)")
        return
    paths = picture_paths(out, [code for code, _ in made.pictures])
    for path, (_, png) in zip(paths, made.pictures):
        path.write_bytes(png)
    click.echo(f"{paths[0]}{' …' if len(paths) > 1 else ''}: {label}, pictures {len(paths)} (logged)")


@click.command("personal-cards")
@click.option("--unit", required=True, help="The unit (code or name) whose staff get cards.")
@click.option("--person", "persons", multiple=True, metavar="WHO",
              help="Only these people (name or personal code); repeatable. Default: every active employee.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False),
              help="FILE.pdf (the unit's A4 sheet, nine cards a page) or FILE.png (a 1080×1350 picture per person).")
@pass_root
def personal_cards_command(root, unit, persons, out):
    """Make personal QR-code cards (一人一码) for a unit's staff; the print is logged.

    Example: python -m campaign personal-cards --unit 城厢镇 --out 城厢镇-cards.pdf

    Example: python -m campaign personal-cards --unit T01 --person 何峰 --out card.png
    """
    from campaign.flyers import store
    from campaign.org import units
    from campaign.scans import codes

    out = Path(out)
    try:
        fmt = {".pdf": "pdf", ".png": "png"}.get(out.suffix.lower())
        if fmt is None:
            raise InvalidValue("flyers.error.bad_out", value=out.name)
        db, actor = root.connect(), cli_actor()
        unit_id = units.lookup(db).get(unit.strip())
        if unit_id is None:
            raise InvalidValue("flyers.error.unknown_location", value=unit)
        wanted = None
        if persons:
            people = codes.people(db, actor, unit_id)
            wanted = [p.staff_id for p in people if p.name in persons or p.code in persons]
            missing = set(persons) - {p.name for p in people} - {p.code for p in people}
            if missing:
                raise InvalidValue("flyers.error.unknown_person", value="、".join(sorted(missing)))
        made = store.person_cards(db, actor, unit_id, staff_ids=wanted, fmt=fmt)
    except CampaignError as error:
        fail(error)
    write_made(out, made, "personal cards", f"people {made.pieces}, pages {made.pages}")


COMMANDS = {"": (flyers_command, personal_cards_command)}
