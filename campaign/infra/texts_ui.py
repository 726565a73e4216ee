"""The app's own words where Streamlit would show English (uploads, placeholders, the menu's sections), the first
start's progress, and the menu's sections (issue 17)."""

TEXTS = {
    "ui.upload_limit": ("每个文件不超过 {mb} MB（{kinds}）；也可以把文件拖到上方。",
                        "Up to {mb} MB per file ({kinds}); you can also drop a file above."),
    "ui.upload_button": ("选择文件", "Choose file"),
    "ui.any_file": ("任意格式", "any type"),
    "ui.choose": ("请选择", "Choose"),
    "ui.choose_units": ("请选择单位（可多选）", "Choose units (several allowed)"),
    "ui.search_name": ("按姓名查找", "Find a name"),
    "ui.swipe_hint": ("左右滑动表格查看更多列，名称列固定。", "Swipe the table sideways for more columns; the name stays in view."),
    "menu.work": ("我的工作", "My work"),
    "menu.figures": ("数据与排名", "Figures and rankings"),
    "menu.supervise": ("督导", "Supervision"),
    "menu.admin": ("系统管理", "Administration"),
    "menu.me": ("账号", "Account"),
    "demo.building": ("首次启动：正在生成演示数据…", "First start: building the demo county…"),
    "demo.building_step": ("首次启动：正在生成演示数据（{done}/{total}）：{part}",
                           "First start: building the demo county ({done}/{total}): {part}"),
    "demo.part.org": ("单位与人员", "units and staff"),
    "demo.part.installs": ("安装数", "installs"),
    "demo.part.supervision": ("督导检查", "spot checks"),
    "demo.part.outreach": ("渠道推广", "outreach"),
    "demo.part.flyers": ("宣传单", "flyers"),
    "demo.part.coverage": ("人口与注册数据", "population and registrations"),
    "demo.part.accounts": ("演示账号", "demo accounts"),
    "demo.part.done": ("完成", "done"),
}
