"""What each message says, before any robot's format (campaign.notify.robots): the morning bulletin's headline,
the cut-off reminder, the laggard list, reminder-letter notices and the test message. Pure functions of the
figures the owning features compute; the words come from the texts in the channel's language.
"""

from campaign.infra import i18n
from campaign.infra.formats import pct
from campaign.notify.robots import Message, line, pair
from campaign.supervision import bulletin_render
from campaign.supervision.letters import format_day


def _t(key, lang, **params):
    return i18n.t(key, lang, **params)


def bulletin(made, lang: str = "zh", image: bytes | None = None) -> Message:
    """The morning bulletin: its title and headline figures (label: value), with the bulletin image."""
    return Message(bulletin_render.title(made, lang),
                   tuple(pair(label, value, lang) for label, value in bulletin_render.headline_lines(made, lang)),
                   image=image)


def reminder(day, closes: str, missing: list[dict], coordinators: dict, lang: str = "zh") -> Message:
    """Units with no report for `day`, which closes at `closes`, each with its coordinators; their mobiles to @.

    `missing`: dicts with unit_id and unit; `coordinators`: unit id -> [{display_name, mobile}]."""
    lines = [line(_t("notify.reminder.intro", lang, count=len(missing), day=format_day(day, lang), closes=closes))]
    mobiles = []
    for i, unit in enumerate(missing, 1):
        people = coordinators.get(unit["unit_id"], [])
        names = ("、" if lang == "zh" else ", ").join(p["display_name"] for p in people)
        lines.append(line(f"{i}. {unit['unit']}" + (_t("notify.reminder.who", lang, names=names) if names else "")))
        mobiles += [p["mobile"] for p in people if p["mobile"] and p["mobile"] not in mobiles]
    return Message(_t("notify.reminder.title", lang, day=format_day(day, lang)), tuple(lines), tuple(mobiles),
                   line(_t("notify.reminder.mention", lang, closes=closes)))


def laggards(day, listed: list[dict], days: int, bottom: int, lang: str = "zh", previous: list[str] | None = None) -> Message:
    """The laggard list (约谈名单) of `day`; who joined and who left since `previous` (unit names) when known.

    `listed`: dicts with unit, group, rank and completion."""
    title = _t("notify.laggards.title", lang, day=format_day(day, lang))
    if not listed:
        lines = [line(_t("notify.laggards.empty", lang, days=days, bottom=bottom))]
    else:
        lines = [line(_t("notify.laggards.intro", lang, count=len(listed), days=days, bottom=bottom))]
        lines += [line(_t("notify.laggards.row", lang, i=i, unit=u["unit"], group=_t(f"group.{u['group']}", lang),
                          rank=u["rank"], completion=pct(u["completion"]))) for i, u in enumerate(listed, 1)]
    if previous is not None:
        names = [u["unit"] for u in listed]
        sep = "、" if lang == "zh" else ", "
        joined, left = [n for n in names if n not in previous], [n for n in previous if n not in names]
        if joined:
            lines.append(pair(_t("notify.laggards.joined", lang), sep.join(joined), lang))
        if left:
            lines.append(pair(_t("notify.laggards.left", lang), sep.join(left), lang))
    return Message(title, tuple(lines))


def letters(day, events: list[dict], lang: str = "zh") -> Message:
    """Reminder-letter notices of `day`: a letter sent, a reply due tomorrow, a reply overdue.

    `events`: dicts with event (sent, due, overdue), number, unit, sent_on, reply_due."""
    lines = [line(_t(f"notify.letters.{e['event']}", lang, number=e["number"], unit=e["unit"],
                     sent=format_day(e["sent_on"], lang) if e.get("sent_on") else "—",
                     due=format_day(e["reply_due"], lang))) for e in events]
    return Message(_t("notify.letters.title", lang, day=format_day(day, lang)), tuple(lines))


def test(channel: str, kind: str, at: str, campaign: str, lang: str = "zh") -> Message:
    """A test message: which channel, when."""
    return Message(_t("notify.test.title", lang, campaign=campaign),
                   (line(_t("notify.test.body", lang, channel=channel, kind=_t(f"notify.kind.{kind}", lang), at=at)),))
