"""Enumerations of the flow app, with their Chinese labels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StageHolder(models.TextChoices):
    """Who holds a case in a stage: a team of the stage's pool, or one person by role (提级)."""

    TEAM = "team", _("团队池中的团队")
    TEAM_LEADER = "team_leader", _("原承办团队的团队长")
    BUREAU_CHIEF = "bureau_chief", _("执行局局长")
    VICE_PRESIDENT = "vice_president", _("分管副院长")


class AssignBy(models.TextChoices):
    """How a team of the pool is chosen for a case entering a stage."""

    AREA = "area", _("按区域")
    LOAD = "load", _("按在办案件量")
    ROUND_ROBIN = "round_robin", _("轮流分配")


class LimitUnit(models.TextChoices):
    """How a time limit is counted (the values of ``core.calendar.PeriodUnit``)."""

    NATURAL_DAYS = "natural_days", _("日")
    WORKING_DAYS = "working_days", _("个工作日")
    MONTHS = "months", _("个月")


class EdgeTrigger(models.TextChoices):
    """What moves a case along an edge of a routing model."""

    ENTRY = "entry", _("进入流程")
    ADVANCE = "advance", _("办结本段、移送下一段")
    TIMEOUT = "timeout", _("期满未结、自动流转")


class VisitEntry(models.TextChoices):
    """How a case came into a stage visit."""

    ENTRY = "entry", _("进入流程")
    ADVANCE = "advance", _("上一段移送")
    TIMEOUT = "timeout", _("上一段期满流转")
    SIDEWAYS = "sideways", _("横向移交")
    MIGRATED = "migrated", _("按新版本迁移")


class VisitExit(models.TextChoices):
    """How a stage visit ended."""

    ADVANCED = "advanced", _("移送下一段")
    TIMED_OUT = "timed_out", _("期满流转")
    SIDEWAYS = "sideways", _("横向移交")
    CLOSED = "closed", _("案件结案")
    MIGRATED = "migrated", _("迁移到新版本")


class NodePhase(models.TextChoices):
    """The part of the work a node belongs to (how the progress table groups nodes)."""

    INTAKE = "intake", _("立案")
    PREPARATION = "preparation", _("执行准备")
    INQUIRY = "inquiry", _("财产查控")
    ENFORCEMENT = "enforcement", _("强制执行")
    DISPOSAL = "disposal", _("财产变现")
    FUNDS = "funds", _("案款")
    CLOSING = "closing", _("审查结案")


class Evidence(models.TextChoices):
    """What completing a node must carry."""

    NONE = "none", _("无需（由系统记录）")
    DOCUMENT = "document", _("文书")
    MEASURE = "measure", _("执行措施记录")
    NOTE = "note", _("工作记录")
    ANY = "any", _("文书、措施或工作记录之一")


class AnchorTrigger(models.TextChoices):
    """
    The events a node's deadline runs from, and the events that start or end an excluded period.

    The one enumeration other apps report through ``flow.services.node_anchor_record``.
    """

    APPLICATION_RECEIVED = "application_received", _("收到执行申请")
    CASE_FILED = "case_filed", _("立案")
    PERIOD_END = "period_end", _("执行期限届满（倒计）")
    CLUE_RECEIVED = "clue_received", _("收到财产线索")
    PROPERTY_SEIZED = "property_seized", _("查封、扣押、冻结财产")
    FUNDS_RECEIVED = "funds_received", _("执行款到账")
    CREDIT_LISTING_REQUESTED = "credit_listing_requested", _("申请纳入失信名单")
    CONTROL_EXPIRING = "control_expiring", _("控制措施即将到期")
    # the excluded periods (审限规定 第9条; 执行程序解释 第10条–第13条): each has a start and an end
    SUSPENSION_STARTED = "suspension_started", _("中止执行")
    SUSPENSION_ENDED = "suspension_ended", _("恢复执行（中止事由消除）")
    POSTPONEMENT_STARTED = "postponement_started", _("暂缓执行")
    POSTPONEMENT_ENDED = "postponement_ended", _("暂缓期满、继续执行")
    APPRAISAL_STARTED = "appraisal_started", _("审计、评估、鉴定、财产清理开始")
    APPRAISAL_ENDED = "appraisal_ended", _("审计、评估、鉴定、财产清理结束")
    AUCTION_STARTED = "auction_started", _("拍卖、变卖开始")
    AUCTION_ENDED = "auction_ended", _("拍卖、变卖结束")
    ANNOUNCEMENT_STARTED = "announcement_started", _("公告开始")
    ANNOUNCEMENT_ENDED = "announcement_ended", _("公告期满")
    JURISDICTION_STARTED = "jurisdiction_started", _("管辖争议开始")
    JURISDICTION_ENDED = "jurisdiction_ended", _("管辖争议解决")
    COORDINATION_STARTED = "coordination_started", _("执行争议协调开始")
    COORDINATION_ENDED = "coordination_ended", _("执行争议协调结束")
    CASE_CLOSED = "case_closed", _("结案")


class ExclusionKind(models.TextChoices):
    """A period the execution period (and, by its own rule, the 超6个月 ledger) does not count."""

    SUSPENSION = "suspension", _("中止执行")
    POSTPONEMENT = "postponement", _("暂缓执行")
    APPRAISAL = "appraisal", _("审计、评估、鉴定、财产清理")
    AUCTION = "auction", _("拍卖、变卖")
    ANNOUNCEMENT = "announcement", _("公告")
    JURISDICTION = "jurisdiction", _("管辖争议")
    COORDINATION = "coordination", _("执行争议协调")


class NodeStatus(models.TextChoices):
    """Where a node instance stands."""

    OPEN = "open", _("待办")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已撤销")


class LedgerStatus(models.TextChoices):
    """The follow-up of one 超6个月未执结 ledger entry (seed 001 §9: 逐案建立台帐、逐案评查、逐案报备)."""

    OPEN = "open", _("待评查")
    REVIEWED = "reviewed", _("已评查")
    REPORTED = "reported", _("已报备上级法院")
    CLOSED = "closed", _("已结案销账")
