"""The notify feature's settings: when the running app (or `push due` from cron) sends each message."""

from campaign.infra.settings import Setting, integer, time_of_day

SETTINGS = (
    Setting("notify_bulletin_time", "08:00", time_of_day),  # the morning bulletin (the day before's figures)
    Setting("notify_reminder_minutes", 30, integer(5, 720)),  # the cut-off reminder, this long before the entry cut-off
    Setting("notify_laggards_time", "12:10", time_of_day),  # the laggard list, when changed (after the cut-off)
    Setting("notify_letters_time", "09:00", time_of_day),  # reminder letters: sent, reply due tomorrow, overdue
)
