"""Work groups (工作群推送): the daily loop runs itself. Group robots of WeCom, DingTalk and Feishu get the morning
bulletin, the cut-off reminder, the laggard list when it changes and reminder-letter notices, each once, at the
set times (the app's scheduler, or `python -m campaign push` from cron)."""
