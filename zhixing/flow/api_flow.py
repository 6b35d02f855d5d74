"""
API of flow under ``/api/v1/flow/`` (each operation one view with nested input and output serializers).

A case's progress table and transfer history, its nodes, the events other systems report (``anchors``),
moving and assigning a case, the execution-period extension, the caller's alerts, the 超6个月 ledger and
the court's routing model.

Every handler reads the clock once (``at``), fetches what it touches through the caller's scope (a case
or node of another court is a 404; a readable one of a court below is a 403 for writes) and calls one
service, whose ``ApplicationError`` the project's exception handler turns into a Chinese body.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhixing.cases import selectors as case_selectors
from zhixing.cases.models import Case
from zhixing.core import selectors as core_selectors
from zhixing.core import services as core_services
from zhixing.core.alerts import alert_kind_label
from zhixing.core.errors import ValidationFailed
from zhixing.core.models import Alert
from zhixing.courts.access import CourtScope, IsCourtStaff
from zhixing.courts.rules import Capability
from zhixing.flow import selectors, services
from zhixing.flow.choices import AnchorTrigger, LedgerStatus

API_PAGE_SIZE = 50
API_MAX_PAGE_SIZE = 200
#: The events only the system records (filing, closing) or derives (the period's end).
SYSTEM_TRIGGERS = frozenset(
    {
        AnchorTrigger.PERIOD_END,
        AnchorTrigger.CASE_FILED,
        AnchorTrigger.APPLICATION_RECEIVED,
        AnchorTrigger.CASE_CLOSED,
    }
)
REPORTABLE_TRIGGERS = [(value, label) for value, label in AnchorTrigger.choices if value not in SYSTEM_TRIGGERS]
_READ_ONLY = "您对该法院的数据只有查看权限。"


def _valid(serializer: serializers.Serializer) -> dict[str, Any]:
    """Return the validated data, or raise ValidationFailed with each bad field's first message (Chinese)."""
    if serializer.is_valid():
        return serializer.validated_data
    fields = {
        name: str(errors[0]) if isinstance(errors, list) else str(errors) for name, errors in serializer.errors.items()
    }
    raise ValidationFailed(next(iter(fields.values())), fields=fields)


def _case_for_write(scope: CourtScope, case_id: int) -> Case:
    """Return the case if ``scope`` may change it: another court's is a 404, a court below's a 403."""
    case = case_selectors.case_get(scope=scope, case_id=case_id)
    if not scope.may_write(case.court_id):
        raise PermissionDenied(_READ_ONLY)
    return case


def _cursor(value: str) -> str:
    try:
        selectors.day_cursor_decode(cursor=value)
    except ValueError as error:
        raise serializers.ValidationError("翻页参数无效，请从第一页重新查询。") from error
    return value


# --- shared output shapes --------------------------------------------------------------------------------


class FlowNodeOutput(serializers.Serializer):
    """A node as the writes return it (completed, or created by an event)."""

    id = serializers.IntegerField()
    key = serializers.CharField()
    code = serializers.CharField(source="node_type.code")
    name = serializers.CharField(source="node_type.name")
    anchor_on = serializers.DateField()
    warn_on = serializers.DateField()
    due_on = serializers.DateField()
    urgent = serializers.BooleanField()
    status = serializers.CharField(help_text="open 待办 / done 已完成 / cancelled 已撤销")
    completed_at = serializers.DateTimeField(allow_null=True)
    completed_by_id = serializers.IntegerField(allow_null=True)
    evidence_kind = serializers.CharField()
    evidence_document_id = serializers.IntegerField(allow_null=True)
    evidence_ref = serializers.CharField()
    evidence_note = serializers.CharField()


class FlowPointsMoveOutput(serializers.Serializer):
    """One entry of the points ledger on a stage visit: taken (negative) or given (positive)."""

    points = serializers.IntegerField()
    reason = serializers.CharField()
    team_name = serializers.CharField()
    user_name = serializers.CharField()
    at = serializers.DateTimeField()


class FlowTransferOutput(serializers.Serializer):
    """One stage visit of a case: who held it when, how it began and ended, the points it moved."""

    id = serializers.IntegerField()
    stage_code = serializers.CharField()
    stage_name = serializers.CharField()
    team_id = serializers.IntegerField(allow_null=True)
    team_name = serializers.CharField()
    holder_id = serializers.IntegerField(allow_null=True)
    holder_name = serializers.CharField()
    entry = serializers.CharField(
        help_text="entry 进入流程 / advance 上一段移送 / timeout 期满流转 / sideways 横向移交"
    )
    entry_label = serializers.CharField()
    edge_label = serializers.CharField(help_text="经由的流转（横向移交时为空）")
    sideways_index = serializers.IntegerField(help_text="本段第几次横向移交（0为未移交）")
    entered_at = serializers.DateTimeField()
    starts_on = serializers.DateField()
    limit_amount = serializers.IntegerField(allow_null=True)
    limit_unit = serializers.CharField()
    warn_on = serializers.DateField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    paused_on = serializers.DateField(allow_null=True)
    paused_days = serializers.IntegerField()
    warned_at = serializers.DateTimeField(allow_null=True)
    timed_out_at = serializers.DateTimeField(allow_null=True)
    left_at = serializers.DateTimeField(allow_null=True)
    exit = serializers.CharField()
    exit_label = serializers.CharField()
    points = serializers.IntegerField()
    points_moved = FlowPointsMoveOutput(many=True)
    is_current = serializers.BooleanField()


class FlowEdgeOutput(serializers.Serializer):
    """An edge of a routing model."""

    id = serializers.IntegerField()
    source_id = serializers.IntegerField(allow_null=True)
    target_id = serializers.IntegerField()
    target_code = serializers.CharField(source="target.code")
    target_name = serializers.CharField(source="target.name")
    trigger = serializers.CharField(help_text="entry 进入流程 / advance 移送 / timeout 期满流转")
    triage_class = serializers.CharField(help_text="适用繁简类别，空为均适用")
    label = serializers.CharField()
    limit_amount = serializers.IntegerField(allow_null=True)
    limit_unit = serializers.CharField()


# --- a case ----------------------------------------------------------------------------------------------


class CaseProgressApi(APIView):
    """A case's progress table (执行进度表): its nodes, stage visits, period clock and the moves open now."""

    permission_classes = [IsCourtStaff]

    class OutputSerializer(serializers.Serializer):
        class NodeSerializer(serializers.Serializer):
            id = serializers.IntegerField()
            key = serializers.CharField()
            code = serializers.CharField()
            name = serializers.CharField()
            phase = serializers.CharField()
            phase_label = serializers.CharField()
            rule = serializers.CharField(help_text="期限规则，如“7日（紧急）”")
            anchor_on = serializers.DateField()
            warn_on = serializers.DateField()
            due_on = serializers.DateField()
            state = serializers.CharField(
                help_text="done 已完成 / done_late 超期完成 / open 进行中 / warning 即将到期 / overdue 已超期 / "
                "paused 暂停计时 / cancelled 已撤销"
            )
            state_label = serializers.CharField()
            completed_at = serializers.DateTimeField(allow_null=True)
            completed_by = serializers.CharField()
            evidence = serializers.CharField()
            evidence_kind = serializers.CharField(help_text="完成须提交的凭据")
            evidence_documents = serializers.ListField(child=serializers.CharField())
            legal_basis = serializers.CharField()
            court_tightened = serializers.BooleanField()
            provisional = serializers.BooleanField(help_text="届满日落在尚未公布的节假日安排之后，为临时计算")
            can_complete = serializers.BooleanField()

        class VisitSerializer(serializers.Serializer):
            id = serializers.IntegerField()
            stage = serializers.CharField()
            stage_code = serializers.CharField()
            team = serializers.CharField()
            holder = serializers.CharField()
            entry_label = serializers.CharField()
            exit_label = serializers.CharField()
            starts_on = serializers.DateField()
            due_on = serializers.DateField(allow_null=True)
            paused_on = serializers.DateField(allow_null=True)
            paused_days = serializers.IntegerField()
            left_at = serializers.DateTimeField(allow_null=True)
            points = serializers.IntegerField()
            is_current = serializers.BooleanField()

        class PeriodSerializer(serializers.Serializer):
            starts_on = serializers.DateField()
            months = serializers.IntegerField()
            extension_months = serializers.IntegerField()
            extensions = serializers.IntegerField()
            excluded_days = serializers.IntegerField()
            paused_since = serializers.DateField(allow_null=True)
            ends_on = serializers.DateField()
            ends_provisional = serializers.BooleanField()
            ledger_starts_on = serializers.DateField()
            ledger_excluded_days = serializers.IntegerField()
            ledger_paused_since = serializers.DateField(allow_null=True)
            ledger_due_on = serializers.DateField(allow_null=True)
            ledger_entered = serializers.BooleanField()

        class ExclusionSerializer(serializers.Serializer):
            kind = serializers.CharField()
            kind_label = serializers.CharField(source="get_kind_display")
            started_on = serializers.DateField()
            ended_on = serializers.DateField(allow_null=True, help_text="结束日（不含）；进行中为空")
            counts_for_period = serializers.BooleanField()
            counts_for_ledger = serializers.BooleanField()
            started_ref = serializers.CharField()
            ended_ref = serializers.CharField()

        case_id = serializers.IntegerField(source="case.pk")
        case_number = serializers.CharField(source="case.number")
        in_flow = serializers.BooleanField()
        model_name = serializers.CharField()
        model_version = serializers.IntegerField(allow_null=True)
        period = PeriodSerializer(allow_null=True)
        exclusions = ExclusionSerializer(many=True)
        visits = VisitSerializer(many=True)
        nodes = NodeSerializer(many=True)
        counts = serializers.DictField(child=serializers.IntegerField(), help_text="各状态的节点数")
        advance_edges = FlowEdgeOutput(many=True, help_text="当前流程段可移送的去向（已按繁简类别筛选）")

    @extend_schema(operation_id="flow_case_progress", summary="案件执行进度表", responses=OutputSerializer)
    def get(self, request: Request, case_id: int) -> Response:
        at = timezone.now()
        case = case_selectors.case_get(scope=request.scope, case_id=case_id)
        progress = selectors.case_progress(case=case, today=timezone.localdate(at))
        edges = selectors.advance_edges_available(case=case, edges=progress.advance_edges)
        return Response(self.OutputSerializer(dataclasses.replace(progress, advance_edges=edges)).data)


class CaseTransfersApi(APIView):
    """A case's transfer history: every stage visit, oldest first, with timeouts, sideways moves and points."""

    permission_classes = [IsCourtStaff]

    @extend_schema(operation_id="flow_case_transfers", summary="案件流转记录", responses=FlowTransferOutput(many=True))
    def get(self, request: Request, case_id: int) -> Response:
        case = case_selectors.case_get(scope=request.scope, case_id=case_id)
        return Response(FlowTransferOutput(selectors.case_transfers(case=case), many=True).data)


class AnchorRecordApi(APIView):
    """
    Report an event of a case (收到线索、查封、到账、中止、拍卖 …): the one door other systems report through.

    The nodes running from it are created with their due dates fixed now; reporting the same event (the
    same ``ref``) twice creates nothing more. Filing, receiving the application and closing are recorded
    by the system itself; the period's end is derived.
    """

    permission_classes = [IsCourtStaff]

    class InputSerializer(serializers.Serializer):
        trigger = serializers.ChoiceField(
            choices=REPORTABLE_TRIGGERS,
            error_messages={
                "required": "请提供事件类型 trigger。",
                "invalid_choice": (
                    "“{input}”不是可登记的事件（立案、收到申请、结案由系统登记，执行期限届满由系统计算）。"
                ),
            },
        )
        on = serializers.DateField(
            required=False,
            allow_null=True,
            default=None,
            help_text="事件发生日，默认为今天",
            error_messages={"invalid": "日期格式应为 YYYY-MM-DD。"},
        )
        ref = serializers.CharField(
            required=False,
            default="",
            allow_blank=True,
            max_length=64,
            help_text="可多次发生的事件（线索、查封、到账、失信申请、控制措施到期）须注明编号",
            error_messages={"max_length": "编号不能超过64个字。"},
        )
        urgent = serializers.BooleanField(required=False, default=False, help_text="紧急（如线索3日内核查）")

        def validate_on(self, value: Any) -> Any:
            if value is not None and value > self.context["today"]:
                raise serializers.ValidationError("事件发生日不能晚于今天。")
            return value

    class OutputSerializer(serializers.Serializer):
        trigger = serializers.CharField()
        entered_flow = serializers.BooleanField()
        period_changed = serializers.BooleanField(help_text="执行期限（扣除期间）是否因此变化")
        nodes_created = FlowNodeOutput(many=True)

    @extend_schema(
        operation_id="flow_anchor_record", summary="登记案件事件", request=InputSerializer, responses=OutputSerializer
    )
    def post(self, request: Request, case_id: int) -> Response:
        at = timezone.now()
        case = _case_for_write(request.scope, case_id)
        if not (request.scope.can(Capability.EXECUTE_CASES) or request.scope.can(Capability.LEAD_TEAM)):
            raise PermissionDenied("只有执行员、团队长或执行局局长可以登记案件事件。")
        data = _valid(self.InputSerializer(data=request.data, context={"today": timezone.localdate(at)}))
        outcome = services.node_anchor_record(
            case_id=case.pk,
            trigger=data["trigger"],
            on=data["on"],
            ref=data["ref"].strip(),
            urgent=data["urgent"],
            actor=request.user,
            at=at,
        )
        created = selectors.nodes_by_keys(case=case, keys=outcome.nodes_created)
        return Response(
            self.OutputSerializer(
                {
                    "trigger": outcome.trigger,
                    "entered_flow": outcome.entered_flow,
                    "period_changed": outcome.period_changed,
                    "nodes_created": created,
                }
            ).data
        )


class CaseAdvanceApi(APIView):
    """Move a case on from its current stage along an advance edge (its holder, team leader or bureau chief)."""

    permission_classes = [IsCourtStaff]

    class InputSerializer(serializers.Serializer):
        edge_id = serializers.IntegerField(
            error_messages={"required": "请选择去向 edge_id。", "invalid": "去向 edge_id 应为整数。"}
        )
        note = serializers.CharField(required=False, default="", allow_blank=True, max_length=500)

    @extend_schema(
        operation_id="flow_case_advance",
        summary="移送下一流程段",
        request=InputSerializer,
        responses=FlowTransferOutput,
    )
    def post(self, request: Request, case_id: int) -> Response:
        at = timezone.now()
        case = _case_for_write(request.scope, case_id)
        data = _valid(self.InputSerializer(data=request.data))
        visit = services.case_advance(case=case, edge_id=data["edge_id"], note=data["note"], actor=request.user, at=at)
        (row,) = selectors.case_transfers(case=case, visit_ids=[visit.pk])
        return Response(FlowTransferOutput(row).data)


class VisitAssignApi(APIView):
    """Give the case's current stage to an executor of the holding team (its team leader or the bureau chief)."""

    permission_classes = [IsCourtStaff]

    class InputSerializer(serializers.Serializer):
        executor_id = serializers.IntegerField(
            error_messages={"required": "请选择承办人 executor_id。", "invalid": "承办人 executor_id 应为整数。"}
        )

    @extend_schema(
        operation_id="flow_visit_assign",
        summary="指定本段承办人",
        request=InputSerializer,
        responses=FlowTransferOutput,
    )
    def post(self, request: Request, case_id: int) -> Response:
        at = timezone.now()
        case = _case_for_write(request.scope, case_id)
        data = _valid(self.InputSerializer(data=request.data))
        visit = services.visit_assign(case=case, executor=data["executor_id"], actor=request.user, at=at)
        (row,) = selectors.case_transfers(case=case, visit_ids=[visit.pk])
        return Response(FlowTransferOutput(row).data)


class PeriodExtensionRequestApi(APIView):
    """Apply for a 3-month extension of the execution period (the president approves; again, the high court)."""

    permission_classes = [IsCourtStaff]

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(
            max_length=2000, error_messages={"required": "请填写申请理由 reason。", "blank": "请填写申请理由 reason。"}
        )

    class OutputSerializer(serializers.Serializer):
        class StepSerializer(serializers.Serializer):
            role = serializers.CharField()
            court_id = serializers.IntegerField()

        id = serializers.IntegerField()
        kind = serializers.CharField()
        title = serializers.CharField()
        status = serializers.CharField(
            help_text="pending 待审批 / approved 已批准 / rejected 未批准 / withdrawn 已撤回"
        )
        status_label = serializers.CharField(source="get_status_display")
        step = serializers.IntegerField(help_text="当前审批步骤（从0起）")
        current_role = serializers.CharField()
        current_court_id = serializers.IntegerField()
        chain = StepSerializer(many=True)
        payload = serializers.DictField()
        requested_at = serializers.DateTimeField()

    @extend_schema(
        operation_id="flow_period_extension_request",
        summary="申请延长执行期限",
        request=InputSerializer,
        responses={201: OutputSerializer},
    )
    def post(self, request: Request, case_id: int) -> Response:
        at = timezone.now()
        case = _case_for_write(request.scope, case_id)
        data = _valid(self.InputSerializer(data=request.data))
        approval = services.period_extension_request(case=case, reason=data["reason"], actor=request.user, at=at)
        return Response(self.OutputSerializer(approval).data, status=201)


# --- nodes -----------------------------------------------------------------------------------------------


class NodeListApi(APIView):
    """The open nodes of the caller's court, soonest due first, by keyset pages (``next_cursor``)."""

    permission_classes = [IsCourtStaff]

    class FilterSerializer(serializers.Serializer):
        state = serializers.ChoiceField(
            choices=[("open", "未超期（含暂停计时）"), ("overdue", "已超期")],
            required=False,
            help_text="默认全部待办节点",
        )
        due_before = serializers.DateField(required=False, help_text="届满日早于该日（不含）")
        mine = serializers.BooleanField(required=False, default=False, help_text="仅列本人承办案件的节点")
        cursor = serializers.CharField(required=False, max_length=40, help_text="上一页返回的 next_cursor")
        limit = serializers.IntegerField(required=False, min_value=1, max_value=API_MAX_PAGE_SIZE)

        def validate_cursor(self, value: str) -> str:
            return _cursor(value)

    class OutputSerializer(serializers.Serializer):
        class RowSerializer(serializers.Serializer):
            id = serializers.IntegerField()
            key = serializers.CharField()
            code = serializers.CharField()
            name = serializers.CharField()
            phase = serializers.CharField()
            case_id = serializers.IntegerField()
            case_number = serializers.CharField()
            executor_id = serializers.IntegerField(allow_null=True)
            executor_name = serializers.CharField()
            anchor_on = serializers.DateField()
            warn_on = serializers.DateField()
            due_on = serializers.DateField()
            rule = serializers.CharField()
            urgent = serializers.BooleanField()
            state = serializers.CharField(help_text="open 进行中 / warning 即将到期 / overdue 已超期 / paused 暂停计时")
            state_label = serializers.CharField()
            can_complete = serializers.BooleanField(help_text="可手工完成（否则由系统在相应事项办理时完成）")

        next_cursor = serializers.CharField(allow_null=True)
        results = RowSerializer(many=True, source="rows")

    @extend_schema(
        operation_id="flow_node_list", summary="本院待办节点", parameters=[FilterSerializer], responses=OutputSerializer
    )
    def get(self, request: Request) -> Response:
        at = timezone.now()
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        page = selectors.open_nodes_page(
            court_id=request.scope.court.pk,
            today=timezone.localdate(at),
            state=data.get("state", ""),
            due_before=data.get("due_before"),
            executor=request.user if data["mine"] else None,
            after=data.get("cursor"),
            limit=data.get("limit", API_PAGE_SIZE),
        )
        return Response(self.OutputSerializer(page).data)


class NodeCompleteApi(APIView):
    """Complete a node with its evidence: a document of the case, a measure, or a work note (≥ 10 characters)."""

    permission_classes = [IsCourtStaff]

    class InputSerializer(serializers.Serializer):
        document_id = serializers.IntegerField(
            required=False, allow_null=True, default=None, error_messages={"invalid": "文书 document_id 应为整数。"}
        )
        measure_ref = serializers.CharField(
            required=False,
            default="",
            allow_blank=True,
            max_length=96,
            error_messages={"max_length": "措施编号不能超过96个字。"},
        )
        note = serializers.CharField(required=False, default="", allow_blank=True, max_length=5000)

    @extend_schema(
        operation_id="flow_node_complete", summary="完成节点", request=InputSerializer, responses=FlowNodeOutput
    )
    def post(self, request: Request, node_id: int) -> Response:
        at = timezone.now()
        node = selectors.node_get(scope=request.scope, node_id=node_id)
        if not request.scope.may_write(node.court_id):
            raise PermissionDenied(_READ_ONLY)
        data = _valid(self.InputSerializer(data=request.data))
        node = services.node_complete(
            node_id=node.pk,
            document_id=data["document_id"],
            measure_ref=data["measure_ref"],
            note=data["note"],
            actor=request.user,
            at=at,
        )
        return Response(FlowNodeOutput(node).data)


# --- alerts ----------------------------------------------------------------------------------------------


class FlowAlertOutput(serializers.Serializer):
    """An alert to the caller (personally, or to one of their roles in their court)."""

    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.SerializerMethodField()
    severity = serializers.CharField()
    title = serializers.CharField()
    body = serializers.CharField()
    case_id = serializers.IntegerField(allow_null=True)
    case_number = serializers.SerializerMethodField()
    recipient_id = serializers.IntegerField(allow_null=True)
    recipient_role = serializers.CharField()
    subject_type = serializers.CharField()
    subject_id = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    resolved_reason = serializers.CharField()

    def get_kind_label(self, alert: Alert) -> str:
        return alert_kind_label(alert.kind)

    def get_case_number(self, alert: Alert) -> str:
        return self.context.get("case_numbers", {}).get(alert.case_id, "")


class AlertListApi(APIView):
    """The caller's alerts, newest first (at most ``limit``)."""

    permission_classes = [IsCourtStaff]

    class FilterSerializer(serializers.Serializer):
        unresolved = serializers.BooleanField(required=False, default=False, help_text="仅列未消除的提醒")
        limit = serializers.IntegerField(required=False, min_value=1, max_value=API_MAX_PAGE_SIZE)

    @extend_schema(
        operation_id="flow_alert_list",
        summary="我的提醒",
        parameters=[FilterSerializer],
        responses=FlowAlertOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        scope = request.scope
        alerts = core_selectors.alert_inbox(
            user=request.user,
            court_id=scope.court.pk,
            roles=frozenset(scope.roles),
            include_resolved=not query.validated_data["unresolved"],
            limit=query.validated_data.get("limit", API_PAGE_SIZE),
        )
        numbers = selectors.case_numbers(scope=scope, case_ids=[alert.case_id for alert in alerts])
        return Response(FlowAlertOutput(alerts, many=True, context={"case_numbers": numbers}).data)


class AlertReadApi(APIView):
    """Mark one of the caller's alerts read (the first reading is kept)."""

    permission_classes = [IsCourtStaff]

    @extend_schema(operation_id="flow_alert_read", summary="标记提醒已读", request=None, responses=FlowAlertOutput)
    def post(self, request: Request, alert_id: int) -> Response:
        at = timezone.now()
        scope = request.scope
        try:
            alert = selectors.alert_addressed_get(
                user=request.user, court_id=scope.court.pk, roles=scope.roles, alert_id=alert_id
            )
        except Alert.DoesNotExist as error:
            raise Http404("未找到该提醒。") from error
        alert = core_services.alert_mark_read(
            alert_id=alert.pk,
            user=request.user,
            user_roles=frozenset(scope.roles),
            user_court_id=scope.court.pk,
            at=at,
        )
        numbers = selectors.case_numbers(scope=scope, case_ids=[alert.case_id])
        return Response(FlowAlertOutput(alert, context={"case_numbers": numbers}).data)


# --- supervision -----------------------------------------------------------------------------------------


class LedgerListApi(APIView):
    """The 超6个月未执结 ledger of the courts the caller may read, oldest due first, by keyset pages."""

    permission_classes = [IsCourtStaff]

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=LedgerStatus.choices, required=False)
        cursor = serializers.CharField(required=False, max_length=40, help_text="上一页返回的 next_cursor")
        limit = serializers.IntegerField(required=False, min_value=1, max_value=API_MAX_PAGE_SIZE)

        def validate_cursor(self, value: str) -> str:
            return _cursor(value)

    class OutputSerializer(serializers.Serializer):
        class EntrySerializer(serializers.Serializer):
            id = serializers.IntegerField()
            case_id = serializers.IntegerField()
            case_number = serializers.CharField(source="case.number")
            court_id = serializers.IntegerField()
            court_name = serializers.CharField(source="court.name")
            team_name = serializers.SerializerMethodField()
            executor_name = serializers.SerializerMethodField()
            due_on = serializers.DateField(help_text="满六个月日")
            entered_on = serializers.DateField()
            status = serializers.CharField()
            status_label = serializers.CharField(source="get_status_display")
            review_note = serializers.CharField()
            reviewed_by = serializers.SerializerMethodField()
            reviewed_at = serializers.DateTimeField(allow_null=True)
            reported_at = serializers.DateTimeField(allow_null=True)

            def get_team_name(self, entry: Any) -> str:
                return entry.case.team.name if entry.case.team else ""

            def get_executor_name(self, entry: Any) -> str:
                person = entry.case.executor
                return (person.name or person.username) if person else ""

            def get_reviewed_by(self, entry: Any) -> str:
                person = entry.reviewed_by
                return (person.name or person.username) if person else ""

        next_cursor = serializers.CharField(allow_null=True)
        results = EntrySerializer(many=True, source="rows")

    @extend_schema(
        operation_id="flow_ledger_list",
        summary="超六个月未执结台帐",
        parameters=[FilterSerializer],
        responses=OutputSerializer,
    )
    def get(self, request: Request) -> Response:
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        page = selectors.ledger_page(
            court_ids=request.scope.readable_court_ids,
            status=data.get("status", ""),
            after=data.get("cursor"),
            limit=data.get("limit", API_PAGE_SIZE),
        )
        return Response(self.OutputSerializer(page).data)


class RoutingModelCurrentApi(APIView):
    """The current routing model of the caller's court: its stages with their team pools, and its edges."""

    permission_classes = [IsCourtStaff]

    class OutputSerializer(serializers.Serializer):
        class StageSerializer(serializers.Serializer):
            id = serializers.IntegerField()
            code = serializers.CharField()
            name = serializers.CharField()
            order = serializers.IntegerField()
            holder = serializers.CharField(help_text="team 团队池 / team_leader / bureau_chief / vice_president")
            holder_label = serializers.CharField(source="get_holder_display")
            pool = serializers.SerializerMethodField(help_text="团队池（团队名称）")
            assign_by = serializers.CharField()
            limit_amount = serializers.IntegerField(allow_null=True)
            limit_unit = serializers.CharField()
            sideways_max = serializers.IntegerField()
            sideways_limit_amount = serializers.IntegerField(allow_null=True)
            sideways_limit_unit = serializers.CharField()
            points = serializers.IntegerField()
            warn_days = serializers.IntegerField()
            is_closing = serializers.BooleanField()
            description = serializers.CharField()

            def get_pool(self, stage: Any) -> list[str]:
                return [team.name for team in stage.teams.all()]

        id = serializers.IntegerField()
        name = serializers.CharField()
        version = serializers.IntegerField()
        preset = serializers.CharField()
        description = serializers.CharField()
        change_note = serializers.CharField()
        created_at = serializers.DateTimeField()
        stages = StageSerializer(many=True, source="stages.all")
        edges = FlowEdgeOutput(many=True, source="edges.all")

    @extend_schema(operation_id="flow_model_current", summary="本院现行流程模型", responses=OutputSerializer)
    def get(self, request: Request) -> Response:
        model = selectors.routing_model_detail(court_id=request.scope.court.pk)
        if model is None:
            raise Http404("本院尚未设置流程模型。")
        return Response(self.OutputSerializer(model).data)
