"""The flow API under ``/api/v1/flow/`` (namespace ``flow_api``)."""

from django.urls import path

from zhixing.flow import api_flow

app_name = "flow_api"

urlpatterns = [
    path("cases/<int:case_id>/progress/", api_flow.CaseProgressApi.as_view(), name="case-progress"),
    path("cases/<int:case_id>/transfers/", api_flow.CaseTransfersApi.as_view(), name="case-transfers"),
    path("cases/<int:case_id>/anchors/", api_flow.AnchorRecordApi.as_view(), name="case-anchors"),
    path("cases/<int:case_id>/advance/", api_flow.CaseAdvanceApi.as_view(), name="case-advance"),
    path("cases/<int:case_id>/assign/", api_flow.VisitAssignApi.as_view(), name="case-assign"),
    path("cases/<int:case_id>/extension/", api_flow.PeriodExtensionRequestApi.as_view(), name="case-extension"),
    path("nodes/", api_flow.NodeListApi.as_view(), name="node-list"),
    path("nodes/<int:node_id>/complete/", api_flow.NodeCompleteApi.as_view(), name="node-complete"),
    path("alerts/", api_flow.AlertListApi.as_view(), name="alert-list"),
    path("alerts/<int:alert_id>/read/", api_flow.AlertReadApi.as_view(), name="alert-read"),
    path("ledger/", api_flow.LedgerListApi.as_view(), name="ledger"),
    path("model/", api_flow.RoutingModelCurrentApi.as_view(), name="model"),
]
