"""The units tree and its staff from the shell: `import units|staff FILE`."""

from campaign.infra.cli import import_command

import_units = import_command("units", "Import units: 编码/code, 名称/name, 类型/type, 上级/parent, 任务数/quota (administrators).")
import_staff = import_command("staff", "Import staff: 单位/unit, 姓名/name, 手机号/phone, 在职/active, 任务数/quota.")

COMMANDS = {"import": (import_units, import_staff)}
