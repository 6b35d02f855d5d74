"""Enumerations of the courts app, with their Chinese labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CourtLevel(models.TextChoices):
    """The four levels of the people's courts."""

    SUPREME = "supreme", _("最高人民法院")
    HIGH = "high", _("高级人民法院")
    INTERMEDIATE = "intermediate", _("中级人民法院")
    BASIC = "basic", _("基层人民法院")


#: The level a child court has under a parent of each level.
CHILD_LEVEL = {
    CourtLevel.SUPREME: CourtLevel.HIGH,
    CourtLevel.HIGH: CourtLevel.INTERMEDIATE,
    CourtLevel.INTERMEDIATE: CourtLevel.BASIC,
}


class Role(models.TextChoices):
    """A staff role, held as a dated membership in one court."""

    FILING_CLERK = "filing_clerk", _("立案人员")
    EXECUTOR = "executor", _("执行员")
    TEAM_LEADER = "team_leader", _("团队长")
    BUREAU_CHIEF = "bureau_chief", _("执行局局长")
    VICE_PRESIDENT = "vice_president", _("分管副院长")
    PRESIDENT = "president", _("院长")
    REVIEWER = "reviewer", _("审查评查人员")
    SUPERVISOR = "supervisor", _("监管人员")
    UPPER_SUPERVISOR = "upper_supervisor", _("上级法院监督人员")
    ADMIN = "admin", _("系统管理员")


class DayKind(models.TextChoices):
    """A day that departs from the Monday-to-Friday week."""

    HOLIDAY = "holiday", _("法定节假日")
    MAKEUP_WORKDAY = "makeup_workday", _("调休上班日")


class CalendarYearSource(models.TextChoices):
    """Where a year's holidays came from."""

    PACKAGE = "package", _("国务院公布（chinese_calendar 数据包）")
    ADMIN = "admin", _("管理员录入")
