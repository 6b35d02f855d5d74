"""
Enforcement cases and their parties.

Indexes for the workbench list (issue 3, item 6), each named in ``Case.Meta.indexes``. The list is
read newest filing first by keyset on ``(filed_on, id)``, so each equality filter has a composite index
ending in ``filed_on, id``: PostgreSQL walks it backwards from the cursor and stops after one page.

- ``court, filed_on, id`` — the unfiltered list, filing-date ranges and the keyset order;
- ``court, status, filed_on, id`` / ``court, type_code, …`` / ``court, triage_class, …`` — those filters;
- ``executor, filed_on, id`` and ``team, filed_on, id`` — "my cases" and the team filter;
- ``court, period_ends_on`` — overdue cases (执行期限届满);
- ``court, serial`` — a bare 案件编号;
- ``number`` with ``varchar_pattern_ops`` — 案号 exact or prefix (``LIKE '（2026）豫0825执%'``) under any collation;
- ``court, amount_claimed`` — amount ranges.

Party names are searched by ``Party.name`` with ``varchar_pattern_ops`` (exact or prefix, CJK included:
a trigram index under a C locale would not index CJK), ID numbers by the blind index.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhixing.cases.choices import (
    BasisKind,
    CaseStatus,
    CaseType,
    ControlKind,
    DebtorAttitude,
    ImportStatus,
    LimitationEventKind,
    PartyKind,
    PartyRole,
    TriageClass,
)
from zhixing.core.identity import is_minor_on

AMOUNT = {"max_digits": 18, "decimal_places": 2}


class CaseNumberSequence(models.Model):
    """
    The counter behind one series of 案号: per court, 收案年度 and 类型代字.

    ``case_number_issue`` locks the row (``select_for_update``) and increments ``last_serial`` in the
    filing transaction, so numbers are gapless and unique even when many clerks file at once.
    """

    court = models.ForeignKey("courts.Court", verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("收案年度"))
    type_code = models.CharField(_("类型代字"), max_length=4, choices=CaseType.choices)
    last_serial = models.PositiveIntegerField(_("已发最大编号"), default=0)

    class Meta:
        verbose_name = _("案号计数器")
        verbose_name_plural = _("案号计数器")
        constraints = [
            models.UniqueConstraint(fields=["court", "year", "type_code"], name="case_number_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.court_id}/{self.year}/{self.type_code}: {self.last_serial}"


class Case(models.Model):
    """An enforcement case: its 案号, state, claim, 执行依据 and who handles it."""

    court = models.ForeignKey("courts.Court", verbose_name=_("法院"), on_delete=models.PROTECT, related_name="cases")
    year = models.PositiveSmallIntegerField(_("收案年度"))
    type_code = models.CharField(_("案件类型"), max_length=4, choices=CaseType.choices)
    serial = models.PositiveIntegerField(_("案件编号"))
    number = models.CharField(_("案号"), max_length=40)
    status = models.CharField(_("状态"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.FILED)
    status_changed_at = models.DateTimeField(_("状态变更时间"))
    application_received_on = models.DateField(_("收到申请日期"))
    filed_on = models.DateField(_("立案日期"))
    amount_claimed = models.DecimalField(_("申请执行标的额"), **AMOUNT)
    costs = models.DecimalField(_("执行费用"), default=0, **AMOUNT)
    basis_issuing_body = models.CharField(_("执行依据作出机关"), max_length=100)
    basis_document_number = models.CharField(_("执行依据文书号"), max_length=100)
    basis_effective_on = models.DateField(_("执行依据生效日期"))
    basis_performance_due_on = models.DateField(
        _("执行依据确定的履行期限届满日"),
        null=True,
        blank=True,
        help_text=_("申请执行期间从此日起算；文书未定履行期限的，从生效之日起算（民诉法第250条）"),
    )
    basis_kind = models.CharField(_("执行依据类别"), max_length=16, choices=BasisKind.choices)
    basis_obligations = models.TextField(_("执行依据确定的义务"))
    trial_case_number = models.CharField(_("原审案号"), max_length=64, blank=True)
    team = models.ForeignKey(
        "courts.Team", verbose_name=_("承办团队"), null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    executor = models.ForeignKey(
        "courts.User",
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="executed_cases",
    )
    debtor_attitude = models.CharField(
        _("被执行人履行态度"), max_length=16, choices=DebtorAttitude.choices, default=DebtorAttitude.UNKNOWN
    )
    triage_class = models.CharField(
        _("繁简分流"), max_length=16, choices=TriageClass.choices, default=TriageClass.UNCLASSIFIED
    )
    period_ends_on = models.DateField(
        _("执行期限届满日"),
        null=True,
        blank=True,
        help_text=_("立案之日起6个月（非诉讼类执行依据3个月），适用期间最后一日规则（审限规定第5条）"),
    )
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("修改时间"))

    class Meta:
        verbose_name = _("执行案件")
        verbose_name_plural = _("执行案件")
        constraints = [
            # The last line of defence behind the locked counter.
            models.UniqueConstraint(fields=["court", "year", "type_code", "serial"], name="case_unique_number"),
            models.CheckConstraint(condition=Q(serial__gte=1), name="case_serial_positive"),
            models.CheckConstraint(condition=Q(amount_claimed__gte=0), name="case_amount_not_negative"),
            models.CheckConstraint(condition=Q(costs__gte=0), name="case_costs_not_negative"),
        ]
        indexes = [
            models.Index(fields=["court", "filed_on", "id"], name="case_court_filed_idx"),
            models.Index(fields=["court", "status", "filed_on", "id"], name="case_court_status_filed_idx"),
            models.Index(fields=["court", "type_code", "filed_on", "id"], name="case_court_type_filed_idx"),
            models.Index(fields=["court", "triage_class", "filed_on", "id"], name="case_court_triage_filed_idx"),
            models.Index(fields=["executor", "filed_on", "id"], name="case_executor_filed_idx"),
            models.Index(fields=["team", "filed_on", "id"], name="case_team_filed_idx"),
            models.Index(fields=["court", "period_ends_on"], name="case_court_period_idx"),
            models.Index(fields=["court", "serial"], name="case_court_serial_idx"),
            models.Index(fields=["number"], name="case_number_pattern_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["court", "amount_claimed"], name="case_court_amount_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class Party(models.Model):
    """
    A person or organisation that is a party in one or more cases: one record per real party (串案).

    ID and phone numbers are stored as SM4-GCM envelopes (``*_encrypted``) with an HMAC-SM3 blind
    index (``*_index``) for exact lookup and a masked form (``*_masked``) for display, so that lists
    never decrypt. The birth date is kept in clear to tell minors apart without decrypting (a minor
    is never listed as 失信). The credit code is public (国家企业信用信息公示系统) and kept in clear.
    """

    kind = models.CharField(_("当事人类型"), max_length=20, choices=PartyKind.choices)
    name = models.CharField(_("姓名或名称"), max_length=100)
    id_number_encrypted = models.TextField(_("身份证号（密文）"), blank=True)
    id_number_index = models.CharField(_("身份证号盲索引"), max_length=64, blank=True)
    id_number_masked = models.CharField(_("身份证号（脱敏）"), max_length=18, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    phone_encrypted = models.TextField(_("联系电话（密文）"), blank=True)
    phone_index = models.CharField(_("联系电话盲索引"), max_length=64, blank=True)
    phone_masked = models.CharField(_("联系电话（脱敏）"), max_length=32, blank=True)
    address = models.CharField(_("住所地"), max_length=200, blank=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    legal_representative = models.CharField(_("法定代表人或负责人"), max_length=50, blank=True)
    employer = models.CharField(_("工作单位"), max_length=100, blank=True)
    is_public_servant = models.BooleanField(_("公职人员"), default=False)
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("修改时间"))

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "id_number_index"], condition=~Q(id_number_index=""), name="party_unique_id_number"
            ),
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(credit_code=""), name="party_unique_credit_code"
            ),
        ]
        indexes = [
            models.Index(fields=["name"], name="party_name_pattern_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["phone_index"], name="party_phone_index_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_minor_on(self, *, on: date) -> bool | None:
        """Return whether the party is under eighteen on ``on``; ``None`` when that is unknown (no ID, or a unit)."""
        if self.birth_date is None:
            return None
        return is_minor_on(birth_date=self.birth_date, on=on)


class CaseParty(models.Model):
    """A party's part in one case; an agent names the party it represents in the same case."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="case_parties")
    party = models.ForeignKey(Party, verbose_name=_("当事人"), on_delete=models.PROTECT, related_name="case_links")
    role = models.CharField(_("诉讼地位"), max_length=16, choices=PartyRole.choices)
    agent_of = models.ForeignKey(
        "self", verbose_name=_("被代理人"), null=True, blank=True, on_delete=models.PROTECT, related_name="agents"
    )
    # Copies for the workbench list's party filter (``zhixing.cases.selectors._list``), set on applicant and debtor
    # links only (agents keep NULL) from the case and the party, neither of which changes once filed: the list
    # walks ``case_party_list_walk_idx`` backwards inside a court and reads the name from the index itself.
    list_court_id = models.BigIntegerField(_("法院（列表检索）"), null=True, blank=True, editable=False)
    list_filed_on = models.DateField(_("立案日期（列表检索）"), null=True, blank=True, editable=False)
    list_name = models.CharField(_("姓名或名称（列表检索）"), max_length=100, null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("案件当事人")
        verbose_name_plural = _("案件当事人")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "party", "role"], condition=Q(agent_of__isnull=True), name="case_party_unique"
            ),
            models.UniqueConstraint(
                fields=["case", "party", "agent_of"], condition=Q(agent_of__isnull=False), name="case_agent_unique"
            ),
            models.CheckConstraint(
                condition=(Q(role=PartyRole.AGENT) & Q(agent_of__isnull=False))
                | (~Q(role=PartyRole.AGENT) & Q(agent_of__isnull=True)),
                name="case_party_agent_has_principal",
            ),
        ]
        indexes = [
            models.Index(fields=["party", "role"], name="case_party_party_role_idx"),
            # Unselective name prefixes (a surname): walk the court's links newest first, name checked in the index.
            models.Index(
                fields=["list_court_id", "list_filed_on", "case", "list_name"], name="case_party_list_walk_idx"
            ),
            # Selective name prefixes: the matching links of a court, then a small sort (index-only on PostgreSQL).
            models.Index(
                fields=["list_name", "list_court_id", "list_filed_on", "case"],
                name="case_party_list_name_idx",
                opclasses=["varchar_pattern_ops", "int8_ops", "date_ops", "int8_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.party_id} ({self.role})"


class CaseStatusChange(models.Model):
    """One move of ``Case.status``, written only by ``case_transition``."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(_("原状态"), max_length=16, choices=CaseStatus.choices)
    to_status = models.CharField(_("新状态"), max_length=16, choices=CaseStatus.choices)
    actor = models.ForeignKey(
        "courts.User", verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"))
    reason = models.TextField(_("原因"))

    class Meta:
        verbose_name = _("案件状态变更")
        verbose_name_plural = _("案件状态变更")
        ordering = ["case", "at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status} → {self.to_status}"


class Preservation(models.Model):
    """
    A preservation measure (保全) taken during trial and carried into enforcement (审执衔接).

    What was frozen, sealed or seized, where (the bank, registry or custodian), under which ruling, and
    until when; the assets issue turns these into controls with expiry tracking.
    """

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="preservations")
    kind = models.CharField(_("措施"), max_length=16, choices=ControlKind.choices)
    property_description = models.CharField(_("财产"), max_length=200)
    location = models.CharField(_("财产所在地或协助单位"), max_length=200)
    amount = models.DecimalField(_("保全金额或价值"), null=True, blank=True, **AMOUNT)
    ruling_number = models.CharField(_("保全裁定书号"), max_length=100, blank=True)
    active_from = models.DateField(_("起始日期"))
    active_to = models.DateField(_("届满日期（不含）"))
    created_at = models.DateTimeField(_("录入时间"))

    class Meta:
        verbose_name = _("诉讼保全")
        verbose_name_plural = _("诉讼保全")
        ordering = ["case", "active_to"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__gt=models.F("active_from")), name="preservation_period_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="preservation_amount_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["active_to"], name="preservation_active_to_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.property_description}"


class LimitationEvent(models.Model):
    """An event recorded at filing that suspends or interrupts the two-year application period, with its evidence."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="limitation_events")
    kind = models.CharField(_("类型"), max_length=20, choices=LimitationEventKind.choices)
    occurred_on = models.DateField(_("发生日期"))
    reason = models.CharField(_("事由"), max_length=200)
    evidence = models.CharField(_("证据"), max_length=200)

    class Meta:
        verbose_name = _("申请执行时效中止/中断事由")
        verbose_name_plural = _("申请执行时效中止/中断事由")
        ordering = ["case", "occurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on:%Y-%m-%d}"


class IntakeDeferral(models.Model):
    """
    The asset-verification gate (seed 000): a case with no execution conditions deferred with the applicant's consent.

    The consent is recorded (when, how, evidence); ``ended_at`` is set when the case goes on.
    """

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="deferrals")
    reason = models.TextField(_("暂缓理由"))
    consent_on = models.DateField(_("申请执行人同意日期"))
    consent_evidence = models.CharField(_("同意的证明"), max_length=200)
    decided_by = models.ForeignKey(
        "courts.User", verbose_name=_("决定人"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(_("决定时间"))
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("暂缓立案")
        verbose_name_plural = _("暂缓立案")
        ordering = ["case", "decided_at"]

    def __str__(self) -> str:
        return f"{self.case} 暂缓"


class TriageRuleSet(models.Model):
    """
    A court's 繁简分流 rules as data: which rules apply and the court-set amount threshold, versioned.

    A new version is a new row; each triage result keeps the version it was decided under.
    """

    court = models.ForeignKey("courts.Court", verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("版本"))
    effective_from = models.DateField(_("生效日期"))
    amount_threshold = models.DecimalField(_("小额案件标的额上限"), **AMOUNT)
    enabled_rules = models.JSONField(_("启用的规则"), default=list)
    created_by = models.ForeignKey(
        "courts.User", verbose_name=_("设置人"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(_("设置时间"))

    class Meta:
        verbose_name = _("繁简分流规则")
        verbose_name_plural = _("繁简分流规则")
        ordering = ["court", "-version"]
        constraints = [models.UniqueConstraint(fields=["court", "version"], name="triage_rule_set_version_unique")]

    def __str__(self) -> str:
        return f"{self.court_id} v{self.version}"


class CaseTriage(models.Model):
    """
    One triage decision on a case: by the rules (which fired, on which facts) or a team leader's override.

    Every run and every override is a new row; ``Case.triage_class`` holds the current result.
    """

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="triages")
    rule_set = models.ForeignKey(
        TriageRuleSet, verbose_name=_("规则版本"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    result = models.CharField(_("结果"), max_length=16, choices=TriageClass.choices)
    fired_rules = models.JSONField(_("命中的规则"), default=list)
    facts = models.JSONField(_("依据的事实"), default=dict)
    is_override = models.BooleanField(_("人工调整"), default=False)
    override_reason = models.TextField(_("调整理由"), blank=True)
    decided_by = models.ForeignKey(
        "courts.User", verbose_name=_("决定人"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(_("决定时间"))

    class Meta:
        verbose_name = _("繁简分流结果")
        verbose_name_plural = _("繁简分流结果")
        ordering = ["case", "-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_override=False) | ~Q(override_reason=""), name="triage_override_needs_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_result_display()}"


class ImportBatch(models.Model):
    """A bulk import of a docket from Excel: all rows imported, or none; the error report names row and field."""

    court = models.ForeignKey("courts.Court", verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("文件名"), max_length=200)
    file_hash = models.CharField(_("文件SM3哈希"), max_length=64)
    row_count = models.PositiveIntegerField(_("行数"))
    status = models.CharField(_("结果"), max_length=16, choices=ImportStatus.choices)
    errors = models.JSONField(_("错误"), default=list)
    uploaded_by = models.ForeignKey("courts.User", verbose_name=_("导入人"), on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("导入时间"))

    class Meta:
        verbose_name = _("批量导入")
        verbose_name_plural = _("批量导入")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.file_name} {self.get_status_display()}"
