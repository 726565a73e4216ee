"""The scans' settings (issue 18): where QR codes lead, the stores each phone is sent to, the plausibility flag."""

from campaign.infra.settings import Setting
from campaign.scans import rules

# The app's official App Store page (no official download page address was found in public sources).
IOS_URL = "https://apps.apple.com/cn/app/id1552823102"
# Tencent 应用宝's page of the app's Android package: opens inside WeChat too. A plausible choice: the county confirms it.
ANDROID_URL = "https://sj.qq.com/appdetail/com.hicorenational.antifraud"

SETTINGS = (
    Setting("scan_landing", "off", rules.parse_mode, check=rules.check_mode),
    Setting("scan_public_url", "", rules.parse_public_url),
    Setting("scan_external_url", "", rules.parse_external_url),
    Setting("scan_ios_url", IOS_URL, rules.parse_store_url),
    Setting("scan_android_url", ANDROID_URL, rules.parse_store_url),
    Setting("scan_flag_ratio", 3.0, rules.parse_ratio),
)
