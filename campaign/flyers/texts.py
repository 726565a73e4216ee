"""Texts of QR-code flyers (issue 4): the words printed on flyers, the Flyers page, the print log, errors.

Keys `flyers.print.*` are the words on the paper; flyers are always printed in Chinese (the English
column documents what they say).
"""

TEXTS = {
    # printed on the flyers
    "flyers.print.title": ("下载国家反诈中心APP", "Install the National Anti-Fraud Center app"),
    "flyers.print.slogan": ("守护群众钱袋子", "Guard people's savings"),
    "flyers.print.steps": ("扫码下载安装 · 注册 · 选择常驻地区", "Scan to install · register · choose your home area"),
    "flyers.print.scan_short": ("扫码下载 守护钱袋子", "Scan to install, guard your savings"),
    "flyers.print.fallback": ("扫码不便？请在手机应用市场搜索「国家反诈中心」下载安装",
                              "Cannot scan? Search 「国家反诈中心」 in your phone's app store"),
    "flyers.print.fallback_short": ("应用市场搜索「国家反诈中心」", "App store: search 「国家反诈中心」"),
    "flyers.print.hotline": ("反诈预警劝阻专线 96110　来电请务必接听", "Anti-fraud warning hotline 96110: always answer it"),
    "flyers.print.hotline_short": ("反诈专线 96110", "Anti-fraud hotline 96110"),
    "flyers.print.caution": ("请认准官方应用，不扫来源不明的二维码", "Use the official app only; never scan unknown QR codes"),
    "flyers.print.code": ("点位编码", "Location code"),
    "flyers.print.code_short": ("编码 {code}", "Code {code}"),
    "flyers.print.place.window": ("服务窗口：{name}", "Service window: {name}"),
    "flyers.print.place.grid": ("网格：{name}", "Grid: {name}"),
    "flyers.print.place.class": ("班级：{name}", "Class: {name}"),
    "flyers.print.place.other": ("点位：{name}", "Location: {name}"),
    "flyers.print.host.window": ("所属单位：{host}", "Host unit: {host}"),
    "flyers.print.host.grid": ("所属村（社区）：{host}", "Village/community: {host}"),
    "flyers.print.host.class": ("学校：{host}", "School: {host}"),
    "flyers.print.host.other": ("所属单位：{host}", "Unit: {host}"),
    "flyers.print.grid_worker": ("网格员 {workers} {phone}", "Grid worker {workers} {phone}"),
    "flyers.print.cut_here": ("✂ 沿虚线剪开", "✂ Cut along the dashed lines"),
    "flyers.print.slip_title": ("致家长：请下载国家反诈中心APP", "To parents: please install the National Anti-Fraud Center app"),
    "flyers.print.slip_body": (
        "家长朋友：电信网络诈骗花样不断翻新，学生和家长都可能成为骗子的目标。请扫描右侧二维码"
        "（或在手机应用市场搜索「国家反诈中心」）下载安装国家反诈中心APP，注册并选择常驻地区，"
        "开启来电预警与身份核实功能。反诈预警劝阻专线 96110 来电时，请务必接听。",
        "Dear parents: phone and internet fraud keeps changing and pupils and parents are its targets. Scan the "
        "QR code on the right (or search 「国家反诈中心」 in your phone's app store) to install the National "
        "Anti-Fraud Center app, register, choose your home area and turn on call warnings. Always answer a call "
        "from the anti-fraud warning line 96110.",
    ),
    "flyers.print.scan_here": ("扫码下载", "Scan to install"),
    "flyers.print.tear_here": ("✂ 请沿虚线剪下回执，交班主任", "✂ Cut off the receipt along the dashed line and return it to the head teacher"),
    "flyers.print.receipt": ("回　执", "Receipt"),
    "flyers.print.receipt_place": ("学校：{host}　　班级：{name}　　（编码 {code}）", "School: {host}   Class: {name}   (code {code})"),
    "flyers.print.pupil": ("学生姓名：", "Pupil's name:"),
    "flyers.print.installed": ("家长已安装并注册", "Parent has installed and registered"),
    "flyers.print.signature": ("家长签名：", "Parent's signature:"),
    "flyers.print.date": ("日期：　　年　　月　　日", "Date:"),
    "flyers.print.issuer": ("{county} · {campaign}", "{county} · {campaign}"),
    # the Flyers page
    "nav.flyers": ("宣传单打印", "Flyers"),
    "flyers.title": ("二维码宣传单", "QR-code flyers"),
    "flyers.intro": ("选择样式和点位，生成可直接打印的 PDF（或分享到微信群的图片）。二维码指向：{target}",
                     "Pick a flyer and the locations; get a PDF ready to print (or a picture to share in WeChat groups). "
                     "The QR code points to: {target}"),
    "flyers.kind": ("样式", "Flyer"),
    "flyers.kind_help": ("海报贴在服务窗口；卡片由网格员入户发放；告知单由班主任发给家长。",
                         "Posters go up at service windows; grid workers hand out cards; class teachers send slips home."),
    "flyers.kind.poster": ("窗口海报（A4）", "Window poster (A4)"),
    "flyers.kind.cards": ("发放卡片（A4 多张，带裁切线）", "Hand-out cards (A4 sheet with cut lines)"),
    "flyers.kind.slip": ("家长告知单（半张 A4，带回执）", "Take-home slip for parents (half A4, with receipt)"),
    "flyers.kind_short.poster": ("海报", "poster"),
    "flyers.kind_short.cards": ("卡片", "cards"),
    "flyers.kind_short.slip": ("告知单", "slip"),
    "flyers.mode": ("打印范围", "Print for"),
    "flyers.mode.one": ("一个点位", "One location"),
    "flyers.mode.batch": ("批量", "A batch"),
    "flyers.location": ("点位", "Location"),
    "flyers.batch": ("批量范围", "Batch"),
    "flyers.batch.windows": ("全部服务窗口", "Every window"),
    "flyers.batch.grids": ("乡镇的全部网格", "Every grid of a township"),
    "flyers.batch.schools": ("学校的全部班级", "Every class of a school"),
    "flyers.township": ("乡镇", "Township"),
    "flyers.all_townships": ("全部乡镇", "All townships"),
    "flyers.school": ("学校", "School"),
    "flyers.cards": ("每张 A4 卡片数", "Cards per A4 sheet"),
    "flyers.copies": ("每个点位打印份数（页）", "Copies per location (pages)"),
    "flyers.copies_help": ("每份为一页 A4：海报 1 张，卡片 {cards} 张，告知单 2 份。",
                           "Each copy is one A4 page: 1 poster, {cards} cards or 2 slips."),
    "flyers.selected": ("将生成 {count} 个点位，共 {pages} 页。", "{count} {count|location|locations}, {pages} {pages|page|pages}."),
    "flyers.make": ("生成 PDF", "Make the PDF"),
    "flyers.make_png": ("生成图片（PNG）", "Make a picture (PNG)"),
    "flyers.progress": ("正在生成 {done}/{total}", "Making {done}/{total}"),
    "flyers.made": ("已生成 {count} 个点位、{pages} 页，已记入打印记录。", "Made {count} {count|location|locations}, {pages} {pages|page|pages}; logged."),
    "flyers.download_pdf": ("下载 PDF", "Download the PDF"),
    "flyers.download_png": ("下载图片", "Download the picture"),
    "flyers.no_locations": ("您负责的范围内没有可打印宣传单的点位（窗口、网格、班级）。",
                            "There is no window, grid or class in your scope to print for."),
    "flyers.log": ("打印记录", "Print log"),
    "flyers.log_empty": ("还没有打印记录。", "Nothing printed yet."),
    "flyers.col.at": ("时间", "When"),
    "flyers.col.actor": ("操作人", "By"),
    "flyers.col.kind": ("样式", "Flyer"),
    "flyers.col.format": ("格式", "Format"),
    "flyers.col.code": ("编码", "Code"),
    "flyers.col.name": ("点位", "Location"),
    "flyers.col.copies": ("份数", "Copies"),
    "flyers.col.pieces": ("张数", "Pieces"),
    "flyers.col.target": ("二维码地址", "QR target"),
    "flyers.kind.window": ("服务窗口", "window"),
    "flyers.kind.grid": ("网格", "grid"),
    "flyers.kind.class": ("班级", "class"),
    # settings
    "settings.flyer_qr_target": ("宣传单二维码地址", "Flyer QR-code target"),
    "settings.flyer_qr_target_help": (
        "宣传单二维码指向的网址，默认为国家反诈中心APP的官方 App Store 页面。可含 {code} 占位符（如本地短链服务 "
        "https://example.gov.cn/fz/{code}），为每个点位生成不同的二维码（一点一码）。宣传单始终同时印有"
        "「在应用市场搜索国家反诈中心」的提示。",
        "The web address the flyers' QR code opens; by default the app's official App Store page. It may contain a "
        "{code} placeholder (e.g. a local short-link service https://example.gov.cn/fz/{code}) to give each location "
        "its own QR code. Flyers always also print the app-store search hint.",
    ),
    # errors
    "flyers.error.bad_target": ("二维码地址须为 http:// 或 https:// 开头的网址，只可含 {{code}} 占位符：{value}",
                                "The QR target must be an http:// or https:// address with at most a {{code}} placeholder: {value}"),
    "flyers.error.target_too_long": ("二维码地址太长（最多 {max} 个字符）：{value}",
                                     "The QR target is too long (at most {max} characters): {value}"),
    "flyers.error.unknown_kind": ("未知的宣传单样式：{value}", "Unknown flyer: {value}"),
    "flyers.error.bad_cards": ("每张卡片数须为 {allowed} 之一：{value}", "Cards per sheet must be one of {allowed}: {value}"),
    "flyers.error.bad_copies": ("份数须在 1–{max} 之间：{value}", "Copies must be 1–{max}: {value}"),
    "flyers.error.unknown_location": ("未找到可打印的点位或单位：{value}", "No printable location or unit: {value}"),
    "flyers.error.no_locations": ("没有符合条件的点位。", "No location matches."),
    "flyers.error.bad_out": ("输出文件须以 .pdf 或 .png 结尾：{value}", "The output file must end in .pdf or .png: {value}"),
    # personal cards (issue 18)
    "flyers.print.person_code": ("推广码 {code}", "Personal code {code}"),
    "flyers.kind_short.person": ("个人推广卡", "personal card"),
    "flyers.person.title": ("个人推广码（一人一码）", "Personal codes (one code per person)"),
    "flyers.person.intro": ("每名干部职工有自己的二维码：发朋友圈用图片（1080×1350），打印用单位的整页卡片（每页 9 张）。"
                            "扫码次数按人统计，显示在录入表和排名页。",
                            "Every employee has a QR code of their own: a picture for WeChat Moments (1080×1350) or the "
                            "unit's print sheet (nine cards a page). Scans are counted per person and shown on the entry "
                            "sheet and the rankings."),
    "flyers.person.not_counted": ("注意：二维码现在不指向本系统，个人推广码的扫码不会被统计（设置：二维码指向）。",
                                  "Note: QR codes do not lead to this app now, so scans of personal codes are not counted "
                                  "(setting: QR codes lead to)."),
    "flyers.person.unit": ("单位", "Unit"),
    "flyers.person.person": ("人员", "Person"),
    "flyers.person.sheet": ("生成本单位卡片（A4 PDF，{count} 人）", "Make the unit's cards (A4 PDF, {count} people)"),
    "flyers.person.card": ("生成个人图片（PNG）", "Make the personal picture (PNG)"),
    "flyers.person.download_sheet": ("下载卡片 PDF", "Download the cards PDF"),
    "flyers.person.download_card": ("下载个人图片", "Download the picture"),
    "flyers.person.made": ("已生成 {count} 人的卡片，已记入打印记录。", "Made cards for {count} people; logged."),
    "flyers.person.made_card": ("已生成个人图片，已记入打印记录。", "Made the personal picture; logged."),
    "flyers.error.unknown_person": ("本单位没有这些人员：{value}", "No such person in the unit: {value}"),
    "flyers.error.no_people": ("没有可生成卡片的人员。", "Nobody to make a card for."),
    "flyers.error.too_many": ("一次最多生成 {max} 页，本次为 {pages} 页。", "At most {max} pages at a time; this would be {pages}."),
}
