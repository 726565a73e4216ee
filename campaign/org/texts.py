"""Texts of the org feature: the quota guidance number and the reasons for quotas below it; import limits."""

TEXTS = {
    "field.quota_reason": ("原因", "Quota reason"),
    "settings.quota_guidance": ("每人任务指导数（不少于）", "Quota guidance (at least, per person)"),
    "settings.quota_guidance_help": ("低于此数的任务数须在单位或人员文件的“原因”列说明，并在排名、录入表和导出中标注。",
                                     "A quota below this needs a reason (the 原因 / quota_reason column of a units or staff "
                                     "file) and is marked in rankings, the entry sheet and exports."),
    "row.quota_below_guidance": ("任务数 {value} 低于指导数 {guidance}，请在“原因”列说明理由",
                                 "Quota {value} is below the guidance number {guidance}: give the reason (原因 / quota_reason)"),
    "row.quota_reason_too_long": ("原因过长（最多 {max} 字）", "The reason is too long (at most {max} characters)"),
    "quota.below": ("低于指导数", "Below guidance"),
    "quota.below_help": ("任务数低于指导数 {guidance}，已备案原因。", "Quota below the guidance number {guidance}, with its reason on file."),
    "quota.reason": ("低于指导数的原因", "Reason for the lower quota"),
    "org.settings.limits": ("导入上限（超过即视为填写错误）", "Import limits (a value above one is taken for a mistake)"),
    "org.settings.max_quota": ("单位或个人任务数上限", "Largest quota of a unit or a person"),
}
