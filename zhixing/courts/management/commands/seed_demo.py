"""``manage.py seed_demo``: load the demo court system (idempotent) and print a login for each role."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from zhixing.courts.demo import DEMO_PASSWORD, demo_logins
from zhixing.courts.services import demo_seed


class Command(BaseCommand):
    help = "载入演示法院（可重复运行），并列出各角色的登录账号。"

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="不打印登录账号")

    def handle(self, *args, quiet_logins: bool = False, **options):
        result = demo_seed(at=timezone.now())
        self.stdout.write(
            f"演示数据：新建法院 {result.courts} 个、团队 {result.teams} 个、"
            f"用户 {result.users} 个、任职 {result.memberships} 条。"
        )
        if quiet_logins:
            return
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        self.stdout.write(f"  {'法院':<8}{'角色':<12}{'用户名':<18}{'姓名':<6}团队")
        for login in demo_logins():
            self.stdout.write(f"  {login.court:<8}{login.role:<12}{login.username:<18}{login.name:<6}{login.team}")
