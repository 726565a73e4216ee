"""The installs import kind: counts per person and day (a day's or many days'), checked whole and written in bulk."""

from campaign.infra.imports import ImportKind
from campaign.installs import bulk
from campaign.org import access


def apply_installs(db, actor, plan):
    return bulk.apply_import(db, actor, plan, source="import")


KINDS = {
    "installs": ImportKind(
        columns={"unit": ("单位", "单位名称"), "name": ("姓名",), "phone": ("手机号", "手机", "电话"),
                 "date": ("日期",), "installs": ("安装数", "安装数量", "推广数")},
        required=("unit", "name", "date", "installs"),
        validate=bulk.validate_import, apply=apply_installs, roles=(access.ADMIN, access.COORDINATOR),
        example=[["县示例局", "张三", "", "2026-11-01", "3"]], checks_references=True,
    ),
}
