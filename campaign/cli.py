"""`python -m campaign …`: a thin command line over the same functions the app uses.

The groups are built here from every feature's commands (their Feature's `commands`), in the features'
order; each command gets the composition root (campaign.features) as click's context object.
"""

import click

from campaign import features
from campaign.infra.cli import pass_root


@click.group()
@click.pass_context
def cli(ctx):
    """Anti-Fraud App Campaign Tracker (反诈 APP 推广台账)."""
    ctx.obj = features


@cli.command()
@click.option("--demo", "with_demo", is_flag=True, help="Load the demo county into an empty database.")
@pass_root
def init(root, with_demo):
    """Create or upgrade the database; with --demo, load the demo county if it is empty.

    Example: python -m campaign init --demo
    """
    from campaign import demo
    from campaign.infra import db as database

    db = root.connect()
    loaded = demo.ensure_demo(db) if with_demo else False
    click.echo(f"database {database.db_path()} ready" + (" (demo loaded)" if loaded else ""))


@cli.command("demo")
@click.option("--scale", type=click.Choice(["county", "city"]), default="county", help="The demo county, or a synthetic city.")
@click.option("--seed", type=int, default=None, help="Seed of the synthetic city (same seed, same city).")
@click.option("--db", "path", type=click.Path(dir_okay=False), default=None, help="Database file (default $CAMPAIGN_DB).")
@pass_root
def demo_command(root, scale, seed, path):
    """Load demo data into an empty database: the demo county, or a city (18 counties, ~100,000 staff, 120 days).

    Example: python -m campaign demo --scale city --seed 9 --db data/city.db
    """
    from campaign import city, demo
    from campaign.infra import db as database

    path = path or database.db_path()
    if scale == "city":
        city.generate(path, seed=city.SEED if seed is None else seed, echo=click.echo)
        return
    loaded = demo.ensure_demo(root.connect(path))
    click.echo(f"database {path} " + ("loaded with the demo county" if loaded else "not empty: nothing loaded"))


@cli.command("serve-imports", hidden=True)
@click.argument("address")
def serve_imports(address):
    """The import server (started by the app on first use of a large file): every import kind loaded, then serve."""
    from campaign.infra import worker

    features.import_kinds()  # what every worker needs, imported once before the forks
    worker.serve(address)


@cli.group("import")
def import_group():
    """Import a CSV or Excel file; a file with any bad row is refused whole."""


@cli.group()
def report():
    """Print a report as a table, CSV or JSON."""


GROUPS = {"": cli, "import": import_group, "report": report}
for _feature in features.FEATURES:
    for _group, _commands in _feature.commands.items():
        for _command in _commands:
            GROUPS[_group].add_command(_command)


def main():
    cli(prog_name="python -m campaign")
