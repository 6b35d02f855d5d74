"""Courts, departments, teams, people, role memberships and the working-day calendar."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhixing.courts.choices import CalendarYearSource, CourtLevel, DayKind, Role


class Court(models.Model):
    """
    A people's court in the hierarchy 最高院 → 高院 → 中院 → 基层院.

    ``code`` is the court's 法院代字 as used in case numbers (豫, 豫08, 豫0825). ``path`` is the
    materialised path of ids from the root (``/1/2/5/``) so that a subtree is one indexed prefix query.
    """

    code = models.CharField(_("法院代字"), max_length=16, unique=True)
    name = models.CharField(_("法院名称"), max_length=64, unique=True)
    short_name = models.CharField(_("简称"), max_length=32, blank=True)
    level = models.CharField(_("层级"), max_length=16, choices=CourtLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级法院"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(_("层级路径"), max_length=255, editable=False, db_index=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("法院")
        verbose_name_plural = _("法院")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(level=CourtLevel.SUPREME), name="court_supreme_has_no_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        """Return 0 for a root court, 1 for its children and so on."""
        return self.path.count("/") - 2


class Department(models.Model):
    """A department inside a court (执行局, 立案庭, 审判管理办公室 ...)."""

    court = models.ForeignKey(Court, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="departments")
    name = models.CharField(_("部门名称"), max_length=64)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["court", "id"]
        constraints = [models.UniqueConstraint(fields=["court", "name"], name="department_unique_name_per_court")]

    def __str__(self) -> str:
        return self.name


class TeamKind(models.Model):
    """
    A kind of team, kept as data so that a court can name the groups it actually has.

    Seeded with the kinds the seeds describe (指挥中心, 查控组, 速执/快执, 普执, 精执 ...).
    """

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=32, unique=True)
    description = models.CharField(_("职责"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("团队类型")
        verbose_name_plural = _("团队类型")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team (组/团队) in a court: its kind, its leader and, for area routing, the area it serves."""

    court = models.ForeignKey(Court, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="teams")
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="teams"
    )
    kind = models.ForeignKey(TeamKind, verbose_name=_("团队类型"), on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("团队名称"), max_length=64)
    leader = models.ForeignKey(
        "courts.User",
        verbose_name=_("团队长"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_teams",
    )
    area = models.CharField(_("负责区域"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("团队")
        verbose_name_plural = _("团队")
        ordering = ["court", "kind__sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["court", "name"], name="team_unique_name_per_court")]
        indexes = [models.Index(fields=["court", "kind"], name="team_court_kind_idx")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """
    A person who logs in: court staff (through memberships) or, later, an applicant of the portal.

    Roles are never fields here; they are dated ``Membership`` rows in one court.
    """

    name = models.CharField(_("姓名"), max_length=32)

    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.name or self.username

    def get_full_name(self) -> str:
        """Return the person's name as shown in Chinese."""
        return self.name or self.username

    def get_short_name(self) -> str:
        """Return the person's name as shown in Chinese."""
        return self.get_full_name()


class Membership(models.Model):
    """
    A role a person holds in one court over a period: ``active_from`` inclusive, ``active_to`` exclusive.

    A person's memberships that overlap in time are all in the same court (checked by the service).
    """

    user = models.ForeignKey(User, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="memberships")
    court = models.ForeignKey(Court, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    team = models.ForeignKey(
        Team, verbose_name=_("所在团队"), null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    active_from = models.DateField(_("起始日期"))
    active_to = models.DateField(_("终止日期（不含）"), null=True, blank=True)

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        ordering = ["court", "role", "user"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_to__gt=models.F("active_from")),
                name="membership_period_not_empty",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "active_from"], name="membership_user_idx"),
            models.Index(fields=["court", "role"], name="membership_court_role_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.court}"


class CalendarYear(models.Model):
    """
    A year whose holidays and make-up workdays are in the table.

    Dates in a year without a row are computed on weekends alone and marked provisional.
    """

    year = models.PositiveSmallIntegerField(_("年度"), primary_key=True)
    source = models.CharField(_("来源"), max_length=16, choices=CalendarYearSource.choices)
    entered_by = models.ForeignKey(
        User, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("录入时间"))
    note = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("节假日年度")
        verbose_name_plural = _("节假日年度")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}"


class CalendarDay(models.Model):
    """A day that departs from the Monday-to-Friday week: a statutory holiday or a make-up workday (调休)."""

    day = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("节日名称"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("节假日/调休日")
        verbose_name_plural = _("节假日/调休日")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()
