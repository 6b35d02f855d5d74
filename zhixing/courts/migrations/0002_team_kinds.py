"""Seed the team kinds the seeds describe; a court adds its own as data."""

from django.db import migrations

TEAM_KINDS = [
    ("command_centre", "指挥中心", "统一管理、统一协调、统一指挥；集约处理文书、查控、节点录入", 10),
    ("inquiry", "查控组", "网络查控、文书制作送达、节点录入", 20),
    ("fast_track", "速执/快执", "简案快执：财产足以结案的金钱给付案件快速执行到位", 30),
    ("general", "普执", "需处置财产及疑难复杂案件，按区域分案执行", 40),
    ("deep", "精执", "精细化执行：速执未结案件的主办团队", 50),
    ("process", "流程程序", "指挥中心统筹的流程程序段", 60),
    ("general_affairs", "综合组", "执行准备：立案后的文书、送达、材料整理", 70),
    ("implementation", "执行实施组", "财产查控与强制执行措施的实施", 80),
    ("adjudication", "执行裁判组", "执行异议、复议、终本审查等裁判事务（审执分离）", 90),
    ("anti_refusal", "打击拒执组", "拘传、拘留、罚款与拒执罪移送", 100),
    ("closing_review", "审查终结组", "结案审查、终本审查", 110),
    ("termination_maintenance", "终本维护", "终本案件库管理、定期查控与恢复执行", 120),
    ("preservation", "保全组", "诉讼保全与执行衔接", 130),
    ("file_review", "卷宗评查组", "案件卷宗评查与质量监督", 140),
    ("petition", "信访处置组", "执行信访登记、督办与化解", 150),
    ("emergency", "应急处置团队", "集中拘传、查控的“尖刀”团队，夜间与节假日行动", 160),
]


def seed(apps, schema_editor):
    TeamKind = apps.get_model("courts", "TeamKind")
    for code, name, description, order in TEAM_KINDS:
        TeamKind.objects.get_or_create(code=code, defaults={"name": name, "description": description, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("courts", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
