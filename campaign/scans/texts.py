"""Texts of scan counting (issue 18): the landing page (always Chinese with English below), the settings,
the scan columns beside installs, the command line's errors."""

TEXTS = {
    # the landing page
    "scans.page.title": ("国家反诈中心 APP", "National Anti-Fraud Center app"),
    "scans.page.hint": ("点击右上角「···」，选择「在浏览器打开」", "Tap ··· at the top right, then “Open in browser”"),
    "scans.page.why_in_app": ("微信、QQ、支付宝、钉钉里不能直接安装应用：请在浏览器中打开本页，或点下方按钮下载。",
                              "Apps cannot be installed from inside WeChat, QQ, Alipay or DingTalk: open this page in the "
                              "browser, or tap a button below."),
    "scans.page.why_other": ("请按手机类型下载安装，注册并选择常驻地区。",
                             "Choose your phone to install the app, then register and choose your home area."),
    "scans.page.ios": ("苹果手机：App Store 下载", "iPhone: App Store"),
    "scans.page.android": ("安卓手机下载", "Android phones"),
    "scans.page.fallback": ("打不开？在手机应用商店搜索「国家反诈中心」", "Not opening? Search 「国家反诈中心」 in your phone's app store."),
    "scans.page.hotline": ("反诈预警专线 96110 来电，请务必接听", "Always answer a call from the anti-fraud warning line 96110."),
    "scans.page.caution": ("请认准官方应用，不扫来源不明的二维码", "Use the official app only; never scan unknown QR codes."),
    # settings
    "scans.settings": ("扫码统计（一点一码 / 一人一码）", "Scans (a code per location / per person)"),
    "settings.scan_landing": ("二维码指向", "QR codes lead to"),
    "settings.scan_landing_help": (
        "本系统：二维码指向本系统的 /go/编码，苹果手机直接跳转 App Store，安卓手机跳转安卓下载地址，微信等应用内打开"
        "时显示提示页；每次扫码按编码、日期、手机类型计数（不记录 IP、设备或扫码人）。县里自建页面：二维码指向下面的"
        "县里地址（内网部署、本系统无法从互联网访问时使用），不计扫码次数。关闭：二维码为「宣传单二维码地址」。",
        "This app: QR codes open this app's /go/CODE; iPhones go straight to the App Store, Android phones to the "
        "Android address, in-app browsers (WeChat…) get a page explaining what to do; every scan is counted per code, "
        "day and phone type (no IP address, device or person is stored). The county's own page: QR codes open the "
        "county's address below (for an intranet installation not reachable from the internet); nothing is counted. "
        "Off: QR codes carry the flyer QR-code target.",
    ),
    "scans.mode.off": ("关闭（宣传单二维码地址）", "Off (the flyer QR-code target)"),
    "scans.mode.app": ("本系统（计数）", "This app (counted)"),
    "scans.mode.external": ("县里自建页面（不计数）", "The county's own page (not counted)"),
    "settings.scan_public_url": ("本系统的公网地址", "This app's public address"),
    "settings.scan_public_url_help": ("手机扫码时能打开的本系统地址，如 https://fz.example.gov.cn，二维码为 地址/go/编码。",
                                      "The address phones reach this app at, e.g. https://fz.example.gov.cn; QR codes carry "
                                      "ADDRESS/go/CODE."),
    "scans.public_url_seen": ("您现在访问本系统用的地址：{url}（若手机也能打开，可填此地址）",
                              "The address your browser uses now: {url} (fill it in if phones reach it too)"),
    "settings.scan_external_url": ("县里自建页面地址", "The county's own page"),
    "settings.scan_external_url_help": (
        "含 {code} 占位符，如 https://www.example.gov.cn/fzapp/?c={code}。用 python -m campaign landing export 目录 "
        "生成该页面（静态文件，在浏览器中判断手机类型），放到县里的网站上。此模式不计扫码次数。",
        "With a {code} placeholder, e.g. https://www.example.gov.cn/fzapp/?c={code}. `python -m campaign landing "
        "export DIR` writes the page (static files that choose the phone's store in the browser) for the county's web "
        "server. Nothing is counted in this mode.",
    ),
    "scans.external_note": ("当前为县里自建页面模式：扫码不经过本系统，扫码次数不统计。",
                            "QR codes open the county's own page: scans do not reach this app and are not counted."),
    "settings.scan_ios_url": ("苹果手机跳转地址（App Store）", "iPhone address (App Store)"),
    "settings.scan_ios_url_help": ("默认为国家反诈中心 APP 的官方 App Store 页面。",
                                   "By default the app's official App Store page."),
    "settings.scan_android_url": ("安卓手机跳转地址", "Android address"),
    "settings.scan_android_url_help": (
        "官方下载页或应用市场页面。默认为腾讯应用宝的国家反诈中心页面（在微信内也能打开）：这是一个合理的选择，"
        "请县反诈中心确认后使用。",
        "The official download page or an app market's page. By default Tencent 应用宝's page of the app (it opens "
        "inside WeChat too): a plausible choice for the county's anti-fraud centre to confirm.",
    ),
    "settings.scan_flag_ratio": ("扫码核对：上报安装数超过扫码次数的倍数", "Scan check: installs reported above this many times the scans"),
    "settings.scan_flag_ratio_help": (
        "使用一人一码的单位（其人员码有扫码记录），自报安装数（至少 30 个）超过人员码扫码次数的这个倍数时，在排名页标记提醒核实。",
        "A unit that uses personal codes (its staff's codes were scanned) is flagged on the rankings page when it "
        "reports more than this many times its scans as installs (at least 30).",
    ),
    # beside the installs
    "scans.col.scans": ("扫码次数", "Scans"),
    "scans.col.flagged": ("扫码偏少", "Few scans"),
    "scans.flag_help": ("「扫码偏少」：使用一人一码的单位，上报安装数超过人员码扫码次数的 {ratio:g} 倍。扫码次数按手机计，几分钟内重复扫码只计一次。",
                        "“Few scans”: a unit using personal codes reports more than {ratio:g} times its codes' scans as "
                        "installs. Scans count phones; repeats within a few minutes count once."),
    "scans.flagged_units": ("{count} 个单位扫码偏少，请核实上报数：", "{count} units have few scans for their reports; check them:"),
    "scans.daily": ("每日扫码次数", "Scans per day"),
    "scans.daily_caption": ("{first} 至 {last} 共 {total} 次扫码（含人员码和点位码；同一手机几分钟内重复扫码只计一次）。",
                            "{first} to {last}: {total} scans (personal and location codes; a phone's repeats within a "
                            "few minutes count once)."),
    "scans.daily_none": ("还没有扫码记录。", "No scans counted yet."),
    "scans.platform.ios": ("苹果", "iPhone"),
    "scans.platform.android": ("安卓", "Android"),
    "scans.platform.in_app": ("微信等应用内", "In-app (WeChat…)"),
    "scans.platform.other": ("其他", "Other"),
    "scans.kind.person": ("人员码", "person"),
    "scans.kind.window": ("服务窗口", "window"),
    "scans.kind.grid": ("网格", "grid"),
    "scans.kind.class": ("班级", "class"),
    "scans.kind.unknown": ("未知编码", "unknown"),
    # errors
    "scans.error.bad_mode": ("二维码指向须为 {allowed} 之一：{value}", "QR codes lead to one of {allowed}: {value}"),
    "scans.error.bad_url": ("须为 http:// 或 https:// 开头的网址（可含一个 {{code}} 占位符）：{value}",
                            "Must be an http:// or https:// address (with at most a {{code}} placeholder): {value}"),
    "scans.error.bad_public_url": ("本系统地址不能含 ? 或 #：{value}", "This app's address cannot contain ? or #: {value}"),
    "scans.error.url_too_long": ("网址太长（最多 {max} 个字符）：{value}", "The address is too long (at most {max} characters): {value}"),
    "scans.error.bad_ratio": ("倍数须在 1 到 100 之间：{value}", "The ratio must be from 1 to 100: {value}"),
    "scans.error.needs_public_url": ("二维码指向本系统时，须先填写本系统的公网地址。",
                                     "QR codes can lead to this app once its public address is set."),
    "scans.error.needs_external_url": ("二维码指向县里自建页面时，须先填写该页面地址。",
                                       "QR codes can lead to the county's own page once its address is set."),
    "scans.error.bad_dir": ("无法写入目录：{value}", "Cannot write to the folder: {value}"),
    "demo.part.scans": ("二维码扫码", "QR-code scans"),
}
