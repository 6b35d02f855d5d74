"""
Models of the flow app (分段执行 as data, 节点管控, the execution period, the 超6个月 ledger, 前减后加).

- ``RoutingModel`` / ``Stage`` / ``StageEdge``: a court's routing model, versioned: an edit writes a new
  version, and a case keeps the version it entered with (``CaseFlow.model``).
- ``StageVisit``: one stay of a case in a stage, with its team and holder, and its due and warning
  dates as a snapshot (paused while an excluded period runs, extended by the pause when it ends).
- ``NodeType``: the node catalogue, each rule versioned with its legal basis and effective date;
  ``CourtNodeSetting`` tightens a rule for one court. ``NodeInstance``: one node of one case, its due and
  warning dates a snapshot (with the rule and model versions) so that a later rule change never moves it.
- ``ExecutionPeriod`` / ``PeriodExclusion``: the execution-period clock of a case, kept from recorded
  events; ``OverdueLedgerEntry``: the 超6个月未执结 ledger (seed 001 §9).
- ``PointsEntry``: the append-only points ledger; ``WeeklyTarget``: the week's closing target (挂图作战).

The sweep's partial indexes make its cost grow with what falls due, not with what is open.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhixing.flow.choices import (
    AnchorTrigger,
    AssignBy,
    EdgeTrigger,
    Evidence,
    ExclusionKind,
    LedgerStatus,
    LimitUnit,
    NodePhase,
    NodeStatus,
    StageHolder,
    VisitEntry,
    VisitExit,
)


class RoutingModel(models.Model):
    """One version of a court's routing model."""

    court = models.ForeignKey(
        "courts.Court", verbose_name=_("法院"), on_delete=models.PROTECT, related_name="routing_models"
    )
    name = models.CharField(_("模型名称"), max_length=64)
    preset = models.CharField(_("来源预设"), max_length=32, blank=True)
    version = models.PositiveIntegerField(_("版本"))
    is_current = models.BooleanField(_("现行版本"), default=False)
    description = models.TextField(_("说明"), blank=True)
    change_note = models.CharField(_("修改说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("流程模型")
        verbose_name_plural = _("流程模型")
        constraints = [
            models.UniqueConstraint(fields=["court", "version"], name="routing_model_court_version_uniq"),
            models.UniqueConstraint(fields=["court"], condition=Q(is_current=True), name="routing_model_one_current"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Stage(models.Model):
    """A stage (流程段) of a routing model: who holds it, its pool, its limit, its points."""

    model = models.ForeignKey(RoutingModel, verbose_name=_("流程模型"), on_delete=models.PROTECT, related_name="stages")
    code = models.SlugField(_("代码"), max_length=32)
    name = models.CharField(_("名称"), max_length=32)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    holder = models.CharField(_("承办方式"), max_length=16, choices=StageHolder.choices, default=StageHolder.TEAM)
    teams = models.ManyToManyField("courts.Team", verbose_name=_("团队池"), blank=True, related_name="stages")
    assign_by = models.CharField(_("分案方式"), max_length=16, choices=AssignBy.choices, default=AssignBy.LOAD)
    limit_amount = models.PositiveSmallIntegerField(_("办理期限"), null=True, blank=True)
    limit_unit = models.CharField(_("期限单位"), max_length=16, choices=LimitUnit.choices, default=LimitUnit.MONTHS)
    sideways_max = models.PositiveSmallIntegerField(_("横向移交次数"), default=0)
    sideways_limit_amount = models.PositiveSmallIntegerField(_("移交后期限"), null=True, blank=True)
    sideways_limit_unit = models.CharField(
        _("移交后期限单位"), max_length=16, choices=LimitUnit.choices, default=LimitUnit.MONTHS
    )
    points = models.PositiveSmallIntegerField(_("积分"), default=0)
    warn_days = models.PositiveSmallIntegerField(_("预警提前天数"), default=5)
    is_closing = models.BooleanField(_("结案段"), default=False)
    description = models.CharField(_("职责"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("流程段")
        verbose_name_plural = _("流程段")
        ordering = ["model", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["model", "code"], name="stage_model_code_uniq")]

    def __str__(self) -> str:
        return self.name


class StageEdge(models.Model):
    """An edge of a routing model: how a case enters, is moved on, or times out of a stage."""

    model = models.ForeignKey(RoutingModel, verbose_name=_("流程模型"), on_delete=models.PROTECT, related_name="edges")
    source = models.ForeignKey(
        Stage, verbose_name=_("来源段"), on_delete=models.PROTECT, null=True, blank=True, related_name="edges_out"
    )
    target = models.ForeignKey(Stage, verbose_name=_("去向段"), on_delete=models.PROTECT, related_name="edges_in")
    trigger = models.CharField(_("流转方式"), max_length=16, choices=EdgeTrigger.choices)
    triage_class = models.CharField(_("适用繁简类别"), max_length=16, blank=True)
    label = models.CharField(_("说明"), max_length=64, blank=True)
    limit_amount = models.PositiveSmallIntegerField(_("经此进入时的期限"), null=True, blank=True)
    limit_unit = models.CharField(_("期限单位"), max_length=16, choices=LimitUnit.choices, default=LimitUnit.MONTHS)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("流转")
        verbose_name_plural = _("流转")
        ordering = ["model", "order", "id"]

    def __str__(self) -> str:
        return f"{self.source_id or '入口'} → {self.target_id}"


class CaseFlow(models.Model):
    """A case's place in its court's flow: the model version it entered with and its current stage visit."""

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, primary_key=True, related_name="flow"
    )
    court = models.ForeignKey("courts.Court", verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    model = models.ForeignKey(
        RoutingModel, verbose_name=_("流程模型版本"), on_delete=models.PROTECT, related_name="case_flows"
    )
    current_visit = models.ForeignKey(
        "StageVisit", verbose_name=_("当前流程段"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(_("进入流程时间"))
    ended_at = models.DateTimeField(_("退出流程时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("案件流程")
        verbose_name_plural = _("案件流程")
        indexes = [models.Index(fields=["model"], name="case_flow_model_idx", condition=Q(ended_at__isnull=True))]

    def __str__(self) -> str:
        return f"{self.case_id}: v{self.model_id}"


class StageVisit(models.Model):
    """One stay of a case in a stage: team, holder, dates (a snapshot), pauses, and how it began and ended."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="stage_visits"
    )
    court = models.ForeignKey("courts.Court", verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    stage = models.ForeignKey(Stage, verbose_name=_("流程段"), on_delete=models.PROTECT, related_name="visits")
    team = models.ForeignKey(
        "courts.Team",
        verbose_name=_("承办团队"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stage_visits",
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stage_visits",
    )
    entry = models.CharField(_("进入方式"), max_length=16, choices=VisitEntry.choices)
    via_edge = models.ForeignKey(
        StageEdge, verbose_name=_("经由流转"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sideways_index = models.PositiveSmallIntegerField(_("横向移交序次"), default=0)
    entered_at = models.DateTimeField(_("进入时间"))
    starts_on = models.DateField(_("起算日"))
    limit_amount = models.PositiveSmallIntegerField(_("办理期限"), null=True, blank=True)
    limit_unit = models.CharField(_("期限单位"), max_length=16, choices=LimitUnit.choices, default=LimitUnit.MONTHS)
    due_on = models.DateField(_("届满日"), null=True, blank=True)
    warn_on = models.DateField(_("预警日"), null=True, blank=True)
    due_provisional = models.BooleanField(_("届满日为临时计算"), default=False)
    paused_on = models.DateField(_("暂停计时起"), null=True, blank=True)
    paused_days = models.PositiveIntegerField(_("已暂停天数"), default=0)
    points = models.PositiveSmallIntegerField(_("本段积分"), default=0)
    warned_at = models.DateTimeField(_("预警时间"), null=True, blank=True)
    timed_out_at = models.DateTimeField(_("期满时间"), null=True, blank=True)
    left_at = models.DateTimeField(_("离开时间"), null=True, blank=True)
    exit = models.CharField(_("离开方式"), max_length=16, choices=VisitExit.choices, blank=True)

    class Meta:
        verbose_name = _("流程段办理")
        verbose_name_plural = _("流程段办理")
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(left_at__isnull=True), name="stage_visit_one_open"),
        ]
        indexes = [
            models.Index(fields=["case", "entered_at"], name="stage_visit_case_idx"),
            # the sweep: visits that fall due / come into their warning window (only open, running ones)
            models.Index(
                fields=["due_on"],
                name="stage_visit_due_idx",
                condition=Q(left_at__isnull=True, paused_on__isnull=True, timed_out_at__isnull=True),
            ),
            models.Index(
                fields=["warn_on"],
                name="stage_visit_warn_idx",
                condition=Q(
                    left_at__isnull=True, paused_on__isnull=True, warned_at__isnull=True, timed_out_at__isnull=True
                ),
            ),
            # load-based assignment and the battle chart: open visits per team / holder
            models.Index(fields=["team", "stage"], name="stage_visit_team_open_idx", condition=Q(left_at__isnull=True)),
            models.Index(fields=["holder"], name="stage_visit_holder_open_idx", condition=Q(left_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}@{self.stage_id}"


class NodeType(models.Model):
    """One version of a node of the catalogue: what it is, who completes it, its deadline rule and basis."""

    code = models.SlugField(_("代码"), max_length=48)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    is_current = models.BooleanField(_("现行"), default=True)
    name = models.CharField(_("节点名称"), max_length=64)
    phase = models.CharField(_("所属环节"), max_length=16, choices=NodePhase.choices)
    completed_by = models.JSONField(_("完成角色"), default=list)
    evidence = models.CharField(_("完成凭据"), max_length=16, choices=Evidence.choices)
    evidence_documents = models.JSONField(_("所需文书"), default=list, blank=True)
    anchor = models.CharField(_("起算事件"), max_length=32, choices=AnchorTrigger.choices)
    amount = models.SmallIntegerField(_("期限"))
    unit = models.CharField(_("期限单位"), max_length=16, choices=LimitUnit.choices)
    urgent_amount = models.SmallIntegerField(_("紧急时期限"), null=True, blank=True)
    warn_days = models.PositiveSmallIntegerField(_("默认预警提前天数"), default=2)
    is_statutory = models.BooleanField(_("法定期限"), default=True)
    legal_basis = models.CharField(_("法律依据"), max_length=300)
    effective_from = models.DateField(_("施行日期"))
    basis_note = models.CharField(_("依据备注"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("流程节点")
        verbose_name_plural = _("流程节点")
        ordering = ["sort_order", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="node_type_code_version_uniq"),
            models.UniqueConstraint(fields=["code"], condition=Q(is_current=True), name="node_type_one_current"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class CourtNodeSetting(models.Model):
    """A court's own setting of a node: a tighter period than the law's, a different warning lead."""

    court = models.ForeignKey("courts.Court", verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("节点代码"), max_length=48)
    amount = models.SmallIntegerField(_("本院期限"), null=True, blank=True)
    warn_days = models.PositiveSmallIntegerField(_("预警提前天数"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设置人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("设置时间"))

    class Meta:
        verbose_name = _("本院节点设置")
        verbose_name_plural = _("本院节点设置")
        constraints = [models.UniqueConstraint(fields=["court", "code"], name="court_node_setting_uniq")]

    def __str__(self) -> str:
        return f"{self.court_id}:{self.code}"


class NodeInstance(models.Model):
    """
    One node of one case: created when its anchor happens, its dates a snapshot of the rule then in force.

    ``key`` ("<code>" or "<code>:<ref>" for a node that can occur many times, e.g. one per clue) makes
    recording an anchor twice harmless.
    """

    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="nodes")
    court = models.ForeignKey("courts.Court", verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    node_type = models.ForeignKey(NodeType, verbose_name=_("节点"), on_delete=models.PROTECT, related_name="instances")
    key = models.CharField(_("节点键"), max_length=96)
    model = models.ForeignKey(
        RoutingModel, verbose_name=_("流程模型版本"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    visit = models.ForeignKey(
        StageVisit, verbose_name=_("所在流程段"), on_delete=models.PROTECT, null=True, blank=True, related_name="nodes"
    )
    anchor_on = models.DateField(_("起算日"))
    amount = models.SmallIntegerField(_("期限"))
    unit = models.CharField(_("期限单位"), max_length=16, choices=LimitUnit.choices)
    urgent = models.BooleanField(_("紧急"), default=False)
    court_tightened = models.BooleanField(_("按本院更短期限"), default=False)
    due_on = models.DateField(_("届满日"))
    warn_on = models.DateField(_("预警日"))
    due_provisional = models.BooleanField(_("届满日为临时计算"), default=False)
    paused_on = models.DateField(_("暂停计时起"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=NodeStatus.choices, default=NodeStatus.OPEN)
    warned_at = models.DateTimeField(_("预警时间"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("超期时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("完成人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    evidence_kind = models.CharField(_("凭据类型"), max_length=16, choices=Evidence.choices, blank=True)
    evidence_document = models.ForeignKey(
        "documents.GeneratedDocument",
        verbose_name=_("凭据文书"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    evidence_ref = models.CharField(_("凭据（措施）"), max_length=96, blank=True)
    evidence_note = models.TextField(_("工作记录"), blank=True)
    cancelled_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("节点实例")
        verbose_name_plural = _("节点实例")
        constraints = [models.UniqueConstraint(fields=["case", "key"], name="node_instance_case_key_uniq")]
        indexes = [
            models.Index(fields=["case", "due_on"], name="node_case_due_idx"),
            # the sweep (only the open nodes not yet marked are in these indexes)
            models.Index(
                fields=["warn_on"],
                name="node_warn_idx",
                condition=Q(status="open", warned_at__isnull=True, overdue_at__isnull=True, paused_on__isnull=True),
            ),
            models.Index(
                fields=["due_on"],
                name="node_due_idx",
                condition=Q(status="open", overdue_at__isnull=True, paused_on__isnull=True),
            ),
            # an executor's open nodes, the progress overview
            models.Index(fields=["court", "status", "due_on"], name="node_court_open_idx", condition=Q(status="open")),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.key}"


class ExecutionPeriod(models.Model):
    """
    The execution-period clock of a case and the 超6个月 count, kept from recorded events.

    ``ends_on`` is the current end (months + approved extensions + excluded days); ``paused_since`` is
    set while an excluded period runs. ``ledger_due_on`` is the last day of the 6 months of 民诉法 第237条
    counted from receiving the application without the periods its own rule leaves out; the sweep enters
    the case in the ledger after it (``ledger_entered``).
    """

    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("案件"),
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="execution_period",
    )
    court = models.ForeignKey("courts.Court", verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("起算日（立案）"))
    months = models.PositiveSmallIntegerField(_("法定期限（月）"))
    extension_months = models.PositiveSmallIntegerField(_("批准延长（月）"), default=0)
    extensions = models.PositiveSmallIntegerField(_("延长次数"), default=0)
    excluded_days = models.PositiveIntegerField(_("扣除天数"), default=0)
    paused_since = models.DateField(_("扣除期间起（进行中）"), null=True, blank=True)
    ends_on = models.DateField(_("届满日"))
    ends_provisional = models.BooleanField(_("届满日为临时计算"), default=False)
    ledger_starts_on = models.DateField(_("超期起算日（收到申请）"))
    ledger_excluded_days = models.PositiveIntegerField(_("超期扣除天数"), default=0)
    ledger_paused_since = models.DateField(_("超期扣除期间起"), null=True, blank=True)
    ledger_due_on = models.DateField(_("满六个月日"), null=True, blank=True)
    ledger_entered = models.BooleanField(_("已入超期台帐"), default=False)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("执行期限")
        verbose_name_plural = _("执行期限")
        indexes = [
            models.Index(
                fields=["ledger_due_on"],
                name="period_ledger_due_idx",
                condition=Q(ledger_entered=False, closed_at__isnull=True, ledger_paused_since__isnull=True),
            ),
            models.Index(
                fields=["court", "ends_on"], name="period_court_ends_idx", condition=Q(closed_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.starts_on} → {self.ends_on}"


class PeriodExclusion(models.Model):
    """One excluded period of a case (中止, 暂缓, 评估, 拍卖, 公告 …), from the events recorded for it."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="period_exclusions"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=ExclusionKind.choices)
    started_on = models.DateField(_("开始日"))
    ended_on = models.DateField(_("结束日（不含）"), null=True, blank=True)
    counts_for_period = models.BooleanField(_("从执行期限中扣除"))
    counts_for_ledger = models.BooleanField(_("从超6个月计算中扣除"))
    started_ref = models.CharField(_("开始依据"), max_length=96, blank=True)
    ended_ref = models.CharField(_("结束依据"), max_length=96, blank=True)
    recorded_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("扣除期间")
        verbose_name_plural = _("扣除期间")
        indexes = [models.Index(fields=["case", "kind"], name="exclusion_case_kind_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"], condition=Q(ended_on__isnull=True), name="exclusion_one_open_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="exclusion_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind} {self.started_on}–{self.ended_on or ''}"


class OverdueLedgerEntry(models.Model):
    """A case in the 超6个月未执结 ledger: entered by the sweep, then reviewed and reported case by case."""

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="overdue_entry"
    )
    court = models.ForeignKey("courts.Court", verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("满六个月日"))
    entered_on = models.DateField(_("入账日"))
    entered_at = models.DateTimeField(_("入账时间"))
    status = models.CharField(_("状态"), max_length=16, choices=LedgerStatus.choices, default=LedgerStatus.OPEN)
    review_note = models.TextField(_("评查意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评查人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("评查时间"), null=True, blank=True)
    reported_at = models.DateTimeField(_("报备时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("超6个月未执结台帐")
        verbose_name_plural = _("超6个月未执结台帐")
        indexes = [models.Index(fields=["court", "status", "due_on"], name="ledger_court_status_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.due_on}"


class PointsEntry(models.Model):
    """
    One entry of the append-only points ledger (前减后加).

    A stage's points are taken from the holder it ran out of time with and given to the next, as a pair
    of entries with the same ``transfer_key`` summing to zero.
    """

    court = models.ForeignKey("courts.Court", verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="+")
    visit = models.ForeignKey(StageVisit, verbose_name=_("流程段办理"), on_delete=models.PROTECT, related_name="+")
    transfer_key = models.CharField(_("流转键"), max_length=48)
    team = models.ForeignKey(
        "courts.Team", verbose_name=_("团队"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("人员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    points = models.IntegerField(_("积分"))
    reason = models.CharField(_("事由"), max_length=200)
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("积分记录")
        verbose_name_plural = _("积分记录")
        constraints = [
            models.UniqueConstraint(fields=["transfer_key", "visit"], name="points_transfer_visit_uniq"),
            models.CheckConstraint(condition=~Q(points=0), name="points_not_zero"),
        ]
        indexes = [
            models.Index(fields=["court", "team"], name="points_court_team_idx"),
            models.Index(fields=["court", "user"], name="points_court_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.transfer_key}: {self.points:+d}"


class WeeklyTarget(models.Model):
    """The week's closing target (挂图作战) a leader sets for a team or one executor of it."""

    court = models.ForeignKey("courts.Court", verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    week_start = models.DateField(_("周一"))
    team = models.ForeignKey("courts.Team", verbose_name=_("团队"), on_delete=models.PROTECT, related_name="+")
    executor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("执行员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    target = models.PositiveSmallIntegerField(_("结案目标"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("设定人"), on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(_("设定时间"))

    class Meta:
        verbose_name = _("每周结案目标")
        verbose_name_plural = _("每周结案目标")
        constraints = [
            models.UniqueConstraint(
                fields=["court", "week_start", "team"],
                condition=Q(executor__isnull=True),
                name="weekly_target_team_uniq",
            ),
            models.UniqueConstraint(
                fields=["court", "week_start", "team", "executor"],
                condition=Q(executor__isnull=False),
                name="weekly_target_executor_uniq",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team_id} {self.week_start}: {self.target}"
