"""Work groups from the shell: `channel add|list|remove|test|subscribe|unsubscribe` and `push` (for cron)."""

import datetime as dt
import json
import sys

import click

from campaign.infra.cli import FORMAT, actor, emit, fail, pass_root
from campaign.infra.errors import CampaignError

MESSAGES = ("bulletin", "reminder", "laggards", "letters")
KINDS = ("wecom", "dingtalk", "feishu")


@click.group()
def channel():
    """Work-group robots (WeCom, DingTalk, Feishu): add, list, remove, test, subscribe, unsubscribe."""


def _secret(value):
    """`--secret -` asks for it without echo (a secret on the command line stays in the shell's history)."""
    return click.prompt("Secret", hide_input=True) if value == "-" else value


@channel.command("add")
@click.argument("name")
@click.option("--kind", type=click.Choice(KINDS), required=True)
@click.option("--url", required=True, help="The robot's webhook address.")
@click.option("--secret", default=None, help="Signing secret (DingTalk 加签, Feishu 签名校验); '-' asks for it.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", help="Language of the messages.")
@click.option("--subscribe", "subscribe", multiple=True, type=click.Choice([*MESSAGES, "all"]),
              help="Messages it gets (repeatable; 'all').")
@click.option("--unit", default=None, help="With --subscribe: for this unit (code or name) and those below it.")
@pass_root
def channel_add(root, name, kind, url, secret, lang, subscribe, unit):
    """Add a group robot (or replace an existing one's kind, address, secret, language).

    Example: python -m campaign channel add 县反诈工作群 --kind wecom --url https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… --subscribe all
    """
    from campaign.notify import channels

    db = root.connect()
    try:
        channels.add_channel(db, actor(), name, kind, url, _secret(secret), lang=lang)
        if subscribe:
            chosen = MESSAGES if "all" in subscribe else subscribe
            channels.subscribe(db, actor(), name, chosen, unit)
        shown = channels.get_channel(db, name).masked_url
    except CampaignError as error:
        fail(error)
    click.echo(f"channel {name} ({kind}) saved: {shown}")


@channel.command("list")
@FORMAT
@pass_root
def channel_list(root, fmt):
    """List the group robots, masked (host and last 4 characters), with what each gets.

    Example: python -m campaign channel list --format json
    """
    import pandas as pd

    from campaign.notify import channels

    rows = [{**{k: c[k] for k in ("name", "kind", "lang", "url", "secret")},
             "subscriptions": ",".join(f"{s['message']}:{s['unit_code'] or '*'}" for s in c["subscriptions"])}
            for c in channels.list_channels(root.connect())]
    emit(pd.DataFrame(rows, columns=["name", "kind", "lang", "url", "secret", "subscriptions"]), fmt)


@channel.command("remove")
@click.argument("name")
@pass_root
def channel_remove(root, name):
    """Remove a group robot (its address and secret are erased; its send log stays).

    Example: python -m campaign channel remove 城厢镇工作群
    """
    from campaign.notify import channels

    try:
        channels.remove_channel(root.connect(), actor(), name)
    except CampaignError as error:
        fail(error)
    click.echo(f"channel {name} removed")


@channel.command("test")
@click.argument("name")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="en", help="Language of the answer printed.")
@pass_root
def channel_test(root, name, lang):
    """Send a test message and print the robot's answer (exit 1 when it failed).

    Example: python -m campaign channel test 县反诈工作群
    """
    from campaign.notify import channels, robots, schedule

    db = root.connect()
    try:
        kind = channels.get_channel(db, name).kind
        answer = schedule.test_channel(db, actor(), name)
    except CampaignError as error:
        fail(error)
    click.echo(f"{name}: {robots.answer_text(kind, answer.as_dict(), lang)}")
    click.echo(json.dumps(answer.as_dict(), ensure_ascii=False))
    if not answer.ok:
        sys.exit(1)


def _subscription(change, done):
    @click.argument("name")
    @click.argument("messages", nargs=-1, required=True, type=click.Choice([*MESSAGES, "all"]))
    @click.option("--unit", default=None, help="For this unit (code or name) and those below it; default the whole county.")
    @pass_root
    def command(root, name, messages, unit):
        from campaign.notify import channels

        try:
            count = getattr(channels, change)(root.connect(), actor(), name, MESSAGES if "all" in messages else messages, unit)
        except CampaignError as error:
            fail(error)
        click.echo(f"{name}: {count} subscription(s) {done}")

    return command


channel.command("subscribe", help="Let a robot get messages (all, or some of: bulletin reminder laggards letters).\n\n"
                "Example: python -m campaign channel subscribe 城厢镇工作群 reminder laggards letters --unit T01")(
    _subscription("subscribe", "added"))
channel.command("unsubscribe", help="Stop messages to a robot (for --unit, or the whole-county subscription).\n\n"
                "Example: python -m campaign channel unsubscribe 城厢镇工作群 laggards --unit T01")(
    _subscription("unsubscribe", "removed"))


@click.command("push")
@click.argument("message", type=click.Choice([*MESSAGES, "due"]))
@click.option("--date", "day", default=None, help="The day it is about (YYYY-MM-DD); default as the schedule does.")
@click.option("--channel", "channel_name", default=None, help="Only this robot.")
@click.option("--dry-run", is_flag=True, help="Show what would be sent; send and record nothing.")
@click.option("--force", is_flag=True, help="Send again even if already sent (recorded as a resend).")
@click.option("--at", "at", default=None, help="With 'due': the time of day to act at (HH:MM); default now.")
@FORMAT
@pass_root
def push_command(root, message, day, channel_name, dry_run, force, at, fmt):
    """Send a message to the work groups subscribed to it, once (a re-run sends nothing again); `due` sends
    whatever the schedule has due now, as the running app does (for cron on a server without the app).

    Example (crontab, every 5 minutes): */5 * * * * python -m campaign push due
    """
    import pandas as pd

    from campaign.infra import clock
    from campaign.notify import robots, schedule

    db = root.connect()
    try:
        if message == "due":
            if channel_name or dry_run or force:
                raise click.UsageError("'push due' takes only --date and --at")
            now = clock.now()
            if day:
                now = now.replace(**dict(zip(("year", "month", "day"), clock.as_date(day).timetuple()[:3])))
            if at:
                hour, minute = dt.time.fromisoformat(at).hour, dt.time.fromisoformat(at).minute
                now = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
            outcomes = schedule.run_due(db, actor(), now, parallel=True)
        else:
            outcomes = schedule.push(db, actor(), message, day, channel=channel_name, dry_run=dry_run, force=force)
    except CampaignError as error:
        fail(error)
    except ValueError:
        raise click.BadParameter("a time is HH:MM and a date YYYY-MM-DD") from None
    if fmt == "json":
        click.echo(json.dumps(outcomes, ensure_ascii=False, indent=1, default=str))
    else:
        frame = pd.DataFrame(
            [{**{k: o.get(k) for k in ("message", "day", "channel", "kind", "status", "reason", "attempts", "parts", "image")},
              "answer": robots.answer_text(o["kind"], o.get("answer"), "en")} for o in outcomes],
            columns=["message", "day", "channel", "kind", "status", "reason", "attempts", "parts", "image", "answer"])
        if outcomes:
            emit(frame, fmt)
        else:
            click.echo("no channel gets this message", err=True)
        for o in outcomes:
            for i, text in enumerate(o.get("preview") or [], 1):
                click.echo(f"--- {o['channel']} part {i}\n{text}")
    if any(o["status"] == "failed" for o in outcomes):
        sys.exit(1)


COMMANDS = {"": (channel, push_command)}
