"""Choice sets of the cases app, with Chinese labels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseType(models.TextChoices):
    """
    The 类型代字 of an enforcement case; the stored value is the code itself, as it appears in the 案号.

    Mirrors ``zhixing.core.case_number.EnforcementCaseType`` (the test suite checks they agree).
    Statistics keep 执, 执恢 and 执保 apart (shared/DOMAIN.md).
    """

    FIRST_ENFORCEMENT = "执", _("首次执行")
    RESUMED = "执恢", _("恢复执行")
    PRESERVATION = "执保", _("财产保全执行")
    OBJECTION = "执异", _("执行异议")
    RECONSIDERATION = "执复", _("执行复议")
    SUPERVISION = "执监", _("执行监督")
    COORDINATION = "执协", _("执行协调")
    OTHER = "执他", _("其他执行")


class CaseStatus(models.TextChoices):
    """
    Where a case stands. The allowed moves are in ``zhixing.cases.transitions``.

    中止执行 (suspended) is not a closing; the closing modes (执行完毕, 终本, 终结执行 …) are recorded
    by the closure app on a ``closed`` case.
    """

    FILED = "filed", _("已立案")
    DEFERRED = "deferred", _("暂缓立案")
    IN_EXECUTION = "in_execution", _("执行中")
    SUSPENDED = "suspended", _("中止执行")
    CLOSED = "closed", _("已结案")
    WITHDRAWN = "withdrawn", _("已撤回")


class BasisKind(models.TextChoices):
    """
    Whether the 执行依据 came out of litigation: it sets the execution period.

    Basis: 审限规定 (2000) art. 5 — 6 months from filing for litigation documents, 3 for non-litigation.
    """

    LITIGATION = "litigation", _("诉讼类")
    NON_LITIGATION = "non_litigation", _("非诉讼类")


class PartyRole(models.TextChoices):
    """A party's part in one case."""

    APPLICANT = "applicant", _("申请执行人")
    DEBTOR = "debtor", _("被执行人")
    AGENT = "agent", _("委托代理人")


class PartyKind(models.TextChoices):
    """What kind of person a party is (自然人 identified by 身份证号, units by 统一社会信用代码)."""

    NATURAL_PERSON = "natural_person", _("自然人")
    LEGAL_PERSON = "legal_person", _("法人")
    OTHER_ORGANISATION = "other_organisation", _("非法人组织")


class ControlKind(models.TextChoices):
    """The kind of a control measure over property (one "control" with a kind, per the glossary)."""

    FREEZE = "freeze", _("冻结")
    SEAL = "seal", _("查封")
    SEIZE = "seize", _("扣押")


class LimitationEventKind(models.TextChoices):
    """
    An event that suspends or interrupts the two-year period for applying for execution.

    Basis: 民诉法 (2023) 第250条 — the period's suspension and interruption follow the rules on
    limitation (民法典 第194条 中止, 第195条 中断). Recorded with evidence, never guessed.
    """

    SUSPENSION_START = "suspension_start", _("时效中止开始")
    SUSPENSION_END = "suspension_end", _("时效中止事由消除")
    INTERRUPTION = "interruption", _("时效中断")


class DebtorAttitude(models.TextChoices):
    """What the filing clerk knows of the debtor's attitude; an input of triage."""

    UNKNOWN = "unknown", _("不详")
    COOPERATIVE = "cooperative", _("愿意配合履行")
    PAYING = "paying", _("已在履行")
    EVASIVE = "evasive", _("逃避、拒不履行")


class TriageClass(models.TextChoices):
    """The outcome of 繁简分流."""

    UNCLASSIFIED = "unclassified", _("未分流")
    SIMPLE = "simple", _("简案")
    COMPLEX = "complex", _("繁案")


class ImportStatus(models.TextChoices):
    """The outcome of a bulk import: all rows imported, or none."""

    REFUSED = "refused", _("未导入（有错误）")
    IMPORTED = "imported", _("已全部导入")
