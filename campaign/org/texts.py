"""The units tree's texts."""

TEXTS = {
    "org.settings.limits": ("导入上限（超过即视为填写错误）", "Import limits (a value above one is taken for a mistake)"),
    "org.settings.max_quota": ("单位或个人任务数上限", "Largest quota of a unit or a person"),
}
