"""A court's own node settings, the weekly closing targets (挂图作战), and the follow-up of ledger entries."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils.timezone import localdate

from zhixing.audit.services import record
from zhixing.core.errors import NotAllowed, ValidationFailed
from zhixing.courts.access import court_scope_for, role_holders
from zhixing.courts.choices import Role
from zhixing.courts.models import Team
from zhixing.flow.choices import LedgerStatus
from zhixing.flow.models import CourtNodeSetting, NodeType, OverdueLedgerEntry, WeeklyTarget
from zhixing.flow.services._models import flow_configurer_check


def court_node_setting_set(
    *, court: Any, code: str, amount: int | None, warn_days: int | None, actor: Any, at: datetime
) -> CourtNodeSetting:
    """
    Set court ``court``'s period and warning lead for node ``code``: tighter than the law, never looser.

    Applies to nodes created from now on; existing nodes keep the dates computed when they were created.

    :raises NotAllowed: unless ``actor`` is an administrator or the bureau chief of ``court``
    :raises ValidationFailed: for a period looser than the law's (or out of range), or a bad warning lead
    """
    flow_configurer_check(actor=actor, court=court, at=at)
    node_type = NodeType.objects.filter(code=code, is_current=True).first()
    if node_type is None:
        raise ValidationFailed("没有该流程节点。", fields={"code": "没有该流程节点"})
    errors: dict[str, str] = {}
    law = node_type.amount
    unit = node_type.get_unit_display()
    if amount is not None:
        if law >= 0 and not 1 <= amount <= (law if node_type.is_statutory else max(law * 3, 30)):
            errors["amount"] = (
                f"“{node_type.name}”的法定期限为{law}{unit}，本院只能设定更短的期限（1至{law}{unit}）"
                if node_type.is_statutory
                else f"期限应在1至{max(law * 3, 30)}{unit}之间"
            )
        if law < 0 and not (-60 <= amount <= law):
            errors["amount"] = f"“{node_type.name}”应在届满前{-law}{unit}完成，本院只能设定得更早"
    if warn_days is not None and not 0 <= warn_days <= 60:
        errors["warn_days"] = "预警提前天数应在0至60之间"
    if errors:
        raise ValidationFailed("本院节点设置有误：" + "；".join(errors.values()) + "。", fields=errors)
    with transaction.atomic():
        setting, _ = CourtNodeSetting.objects.select_for_update().get_or_create(
            court=court, code=code, defaults={"changed_at": at, "changed_by": actor}
        )
        before = {"amount": setting.amount, "warn_days": setting.warn_days}
        setting.amount, setting.warn_days, setting.changed_by, setting.changed_at = amount, warn_days, actor, at
        setting.save()
        record(
            action="flow.node_setting.changed",
            at=at,
            actor=actor,
            court_id=court.pk,
            subject=setting,
            subject_label=node_type.name,
            before=before,
            after={"amount": amount, "warn_days": warn_days},
            data={"code": code, "law": law, "unit": node_type.unit},
        )
    return setting


def week_start(day: date) -> date:
    """Return the Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def weekly_target_set(
    *, court: Any, team: Team | int, executor: Any, week_of: date, target: int, actor: Any, at: datetime
) -> WeeklyTarget:
    """
    Set the week's closing target for ``team`` (or one ``executor`` of it): its leader or the bureau chief.

    :raises NotAllowed: unless ``actor`` leads the team or heads the bureau of ``court``
    :raises ValidationFailed: for a target outside 0–500, a team of another court, or an executor not of the team
    """
    team_obj = team if isinstance(team, Team) else Team.objects.filter(pk=team).first()
    if team_obj is None or team_obj.court_id != court.pk:
        raise ValidationFailed("团队不属于本院。", fields={"team_id": "团队不属于本院"})
    scope = court_scope_for(user=actor, today=localdate(at))
    if not (
        team_obj.leader_id == getattr(actor, "pk", None)
        or (scope.court is not None and scope.court.pk == court.pk and Role.BUREAU_CHIEF in scope.roles)
    ):
        raise NotAllowed("只有该团队的团队长或执行局局长可以设定结案目标。")
    if not 0 <= target <= 500:
        raise ValidationFailed("每周结案目标应在0至500件之间。", fields={"target": "应在0至500件之间"})
    monday = week_start(week_of)
    executor_id = getattr(executor, "pk", executor)
    if executor_id is not None:
        members = {
            user.pk
            for role in (Role.EXECUTOR, Role.TEAM_LEADER)
            for user in role_holders(court_id=court.pk, role=role, today=localdate(at), team_id=team_obj.pk)
        }
        if executor_id not in members:
            raise ValidationFailed(
                f"执行员须为{team_obj.name}在职的执行员或团队长。", fields={"executor": "不是该团队的执行员"}
            )
    with transaction.atomic():
        row = (
            WeeklyTarget.objects.select_for_update()
            .filter(court=court, week_start=monday, team=team_obj, executor_id=executor_id)
            .first()
        )
        before = row.target if row else None
        if row is None:
            row = WeeklyTarget.objects.create(
                court=court,
                week_start=monday,
                team=team_obj,
                executor_id=executor_id,
                target=target,
                set_by=actor,
                set_at=at,
            )
        else:
            row.target, row.set_by, row.set_at = target, actor, at
            row.save(update_fields=["target", "set_by", "set_at"])
        record(
            action="flow.weekly_target.set",
            at=at,
            actor=actor,
            court_id=court.pk,
            subject=row,
            subject_label=f"{team_obj.name} {monday.isoformat()}",
            before={"target": before},
            after={"target": target},
            data={"week_start": monday, "executor_id": executor_id},
        )
    return row


def ledger_entry_review(*, entry_id: int, status: str, note: str, actor: Any, at: datetime) -> OverdueLedgerEntry:
    """
    Record the review (逐案评查) or the report to the upper court (逐案报备) of a 超6个月 ledger entry.

    :raises NotAllowed: unless ``actor`` supervises, reviews, or heads the bureau in the entry's court
    :raises ValidationFailed: without a note, or for a status that cannot follow
    """
    with transaction.atomic():
        entry = OverdueLedgerEntry.objects.select_for_update().select_related("case").get(pk=entry_id)
        scope = court_scope_for(user=actor, today=localdate(at))
        if (
            scope.court is None
            or scope.court.pk != entry.court_id
            or not ({Role.SUPERVISOR, Role.REVIEWER, Role.BUREAU_CHIEF} & set(scope.roles))
        ):
            raise NotAllowed("只有本院监管人员、评查人员或执行局局长可以办理台帐。")
        order = [LedgerStatus.OPEN, LedgerStatus.REVIEWED, LedgerStatus.REPORTED]
        if status not in (LedgerStatus.REVIEWED, LedgerStatus.REPORTED) or order.index(LedgerStatus(status)) <= (
            order.index(LedgerStatus(entry.status)) if entry.status in order else 99
        ):
            raise ValidationFailed(
                "台帐状态只能依次为：待评查 → 已评查 → 已报备上级法院。", fields={"status": "状态不能这样变更"}
            )
        if not note.strip():
            raise ValidationFailed("请填写评查意见或报备情况。", fields={"note": "请填写意见"})
        before = entry.status
        entry.status = status
        entry.review_note = (entry.review_note + "\n" if entry.review_note else "") + note.strip()
        if status == LedgerStatus.REVIEWED:
            entry.reviewed_by, entry.reviewed_at = actor, at
        else:
            entry.reported_at = at
        entry.save()
        record(
            action="flow.ledger.reviewed",
            at=at,
            actor=actor,
            court_id=entry.court_id,
            case_id=entry.case_id,
            subject=entry,
            subject_label=entry.case.number,
            before={"status": before},
            after={"status": status},
            data={"note": note.strip()},
        )
    return entry
