"""
The demo court system: 河南高院 → 焦作中院 → 温县法院, 武陟县法院; 山东高院 → 临沂中院 → 临沭县法院.

Teams follow the seeds: 温县 (指挥中心 with 查控组 and 快执组, four 普执 teams by area, 保全组,
卷宗评查组, 信访处置组, 终本管理), 武陟 (the five groups of the segmented model and the 应急处置团队),
临沭 (速执团队, the command centre's 流程程序, two 精执 teams, 终本维护团队). All names are fictional.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from zhixing.courts.choices import CourtLevel, Role

DEMO_PASSWORD = "zhixing-demo-2026"  # noqa: S105 -- the demo's published password, printed by make run
DEMO_START = date(2026, 1, 1)


@dataclass(frozen=True, slots=True)
class CourtSpec:
    """A demo court and its parent's code."""

    code: str
    name: str
    short_name: str
    level: CourtLevel
    parent_code: str | None


COURTS: tuple[CourtSpec, ...] = (
    CourtSpec("最高法", "最高人民法院", "最高院", CourtLevel.SUPREME, None),
    CourtSpec("豫", "河南省高级人民法院", "河南高院", CourtLevel.HIGH, "最高法"),
    CourtSpec("豫08", "河南省焦作市中级人民法院", "焦作中院", CourtLevel.INTERMEDIATE, "豫"),
    CourtSpec("豫0825", "温县人民法院", "温县法院", CourtLevel.BASIC, "豫08"),
    CourtSpec("豫0823", "武陟县人民法院", "武陟法院", CourtLevel.BASIC, "豫08"),
    CourtSpec("鲁", "山东省高级人民法院", "山东高院", CourtLevel.HIGH, "最高法"),
    CourtSpec("鲁13", "山东省临沂市中级人民法院", "临沂中院", CourtLevel.INTERMEDIATE, "鲁"),
    CourtSpec("鲁1329", "临沭县人民法院", "临沭法院", CourtLevel.BASIC, "鲁13"),
)

#: Teams per court code: (name, team kind code, area).
TEAMS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "豫0825": (
        ("执行指挥中心", "command_centre", ""),
        ("查控组", "inquiry", ""),
        ("快执组", "fast_track", ""),
        ("普执一团队", "general", "温泉街道、岳村街道"),
        ("普执二团队", "general", "祥云镇、番田镇"),
        ("普执三团队", "general", "黄庄镇、武德镇"),
        ("普执四团队", "general", "赵堡镇、北冷乡、南张羌镇、招贤乡"),
        ("保全组", "preservation", ""),
        ("卷宗评查组", "file_review", ""),
        ("信访处置组", "petition", ""),
        ("终本管理组", "termination_maintenance", ""),
    ),
    "豫0823": (
        ("综合组", "general_affairs", ""),
        ("执行实施组", "implementation", ""),
        ("执行裁判组", "adjudication", ""),
        ("打击拒执组", "anti_refusal", ""),
        ("审查终结组", "closing_review", ""),
        ("执行应急处置团队", "emergency", ""),
    ),
    "鲁1329": (
        ("执行指挥中心", "command_centre", ""),
        ("流程程序组", "process", ""),
        ("速执团队", "fast_track", ""),
        ("精执一团队", "deep", "城区、玉山镇、青云镇"),
        ("精执二团队", "deep", "石门镇、蛟龙镇、店头镇、曹庄镇"),
        ("执行裁判组", "adjudication", ""),
        ("终本维护团队", "termination_maintenance", ""),
    ),
}

#: Staff per court code: (username, name, role, team name or "").
STAFF: dict[str, tuple[tuple[str, str, Role, str], ...]] = {
    "豫0825": (
        ("wx_lian", "李晓岚", Role.FILING_CLERK, ""),
        ("wx_chakong", "张振宇", Role.EXECUTOR, "查控组"),
        ("wx_kuaizhi", "王立新", Role.EXECUTOR, "快执组"),
        ("wx_puzhi1", "赵文博", Role.EXECUTOR, "普执一团队"),
        ("wx_puzhi2", "陈雅静", Role.EXECUTOR, "普执二团队"),
        ("wx_zhihui", "刘建军", Role.TEAM_LEADER, "执行指挥中心"),
        ("wx_tuanzhang1", "孙海涛", Role.TEAM_LEADER, "普执一团队"),
        ("wx_pingcha", "周敏", Role.REVIEWER, "卷宗评查组"),
        ("wx_juzhang", "杨德明", Role.BUREAU_CHIEF, ""),
        ("wx_fuyuanzhang", "吴国强", Role.VICE_PRESIDENT, ""),
        ("wx_yuanzhang", "郑光明", Role.PRESIDENT, ""),
        ("wx_jianguan", "何丽娟", Role.SUPERVISOR, ""),
        ("wx_admin", "马超", Role.ADMIN, ""),
    ),
    "豫0823": (
        ("wz_lian", "高秀英", Role.FILING_CLERK, ""),
        ("wz_zonghe", "林志强", Role.EXECUTOR, "综合组"),
        ("wz_shishi", "郭伟", Role.EXECUTOR, "执行实施组"),
        ("wz_juzhi", "罗刚", Role.EXECUTOR, "打击拒执组"),
        ("wz_yingji", "梁勇", Role.TEAM_LEADER, "执行应急处置团队"),
        ("wz_caipan", "宋婷", Role.REVIEWER, "执行裁判组"),
        ("wz_juzhang", "王小军", Role.BUREAU_CHIEF, ""),
        ("wz_fuyuanzhang", "唐建华", Role.VICE_PRESIDENT, ""),
        ("wz_yuanzhang", "许振华", Role.PRESIDENT, ""),
        ("wz_jianguan", "韩雪", Role.SUPERVISOR, ""),
        ("wz_admin", "冯磊", Role.ADMIN, ""),
    ),
    "鲁1329": (
        ("ls_lian", "曹丽", Role.FILING_CLERK, ""),
        ("ls_liucheng", "彭飞", Role.EXECUTOR, "流程程序组"),
        ("ls_suzhi", "董洁", Role.EXECUTOR, "速执团队"),
        ("ls_jingzhi1", "袁浩", Role.EXECUTOR, "精执一团队"),
        ("ls_jingzhi2", "邓超群", Role.EXECUTOR, "精执二团队"),
        ("ls_tuanzhang1", "蒋文", Role.TEAM_LEADER, "精执一团队"),
        ("ls_tuanzhang2", "沈阳光", Role.TEAM_LEADER, "精执二团队"),
        ("ls_caipan", "韦静", Role.REVIEWER, "执行裁判组"),
        ("ls_juzhang", "范志刚", Role.BUREAU_CHIEF, ""),
        ("ls_fuyuanzhang", "苏明", Role.VICE_PRESIDENT, ""),
        ("ls_yuanzhang", "程远", Role.PRESIDENT, ""),
        ("ls_jianguan", "姚红", Role.SUPERVISOR, ""),
        ("ls_admin", "卢涛", Role.ADMIN, ""),
    ),
    "豫08": (
        ("jz_jianduzhe", "潘文华", Role.UPPER_SUPERVISOR, ""),
        ("jz_admin", "田野", Role.ADMIN, ""),
    ),
    "豫": (("hn_jianduzhe", "崔建国", Role.UPPER_SUPERVISOR, ""),),
    "鲁13": (("ly_jianduzhe", "钟敏", Role.UPPER_SUPERVISOR, ""),),
    "鲁": (("sd_jianduzhe", "贾明", Role.UPPER_SUPERVISOR, ""),),
}

#: The team each team-leader role leads.
LEADERS = {
    ("豫0825", "wx_zhihui"),
    ("豫0825", "wx_tuanzhang1"),
    ("豫0823", "wz_yingji"),
    ("鲁1329", "ls_tuanzhang1"),
    ("鲁1329", "ls_tuanzhang2"),
}


@dataclass(frozen=True, slots=True)
class DemoLogin:
    """One printed login of the demo."""

    court: str
    role: str
    team: str
    username: str
    name: str


def demo_logins() -> list[DemoLogin]:
    """Return every demo login in court order."""
    names = {spec.code: spec.short_name for spec in COURTS}
    return [
        DemoLogin(court=names[code], role=str(role.label), team=team, username=username, name=name)
        for spec in COURTS
        for code in [spec.code]
        for username, name, role, team in STAFF.get(code, ())
    ]


def seed_moment() -> datetime:
    """Return the moment the demo's own acts are recorded at: its start date, 08:00 Beijing time."""
    from zoneinfo import ZoneInfo

    return datetime(DEMO_START.year, DEMO_START.month, DEMO_START.day, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
