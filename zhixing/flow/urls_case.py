"""Pages about one case and one person's work: the progress table and its actions, alerts, approvals."""

from django.urls import path

from zhixing.flow import views_case

urlpatterns = [
    path("cases/<int:case_id>/progress/", views_case.case_progress, name="case_progress"),
    path(
        "cases/<int:case_id>/progress/nodes/<int:node_id>/complete/",
        views_case.node_complete,
        name="node_complete",
    ),
    path("cases/<int:case_id>/progress/advance/", views_case.case_advance, name="case_advance"),
    path("cases/<int:case_id>/progress/assign/", views_case.visit_assign, name="visit_assign"),
    path("cases/<int:case_id>/progress/extension/", views_case.period_extension, name="period_extension"),
    path("cases/<int:case_id>/progress/events/", views_case.period_event, name="period_event"),
    path("alerts/", views_case.inbox, name="inbox"),
    path("alerts/<int:alert_id>/read/", views_case.alert_read, name="alert_read"),
    path("today/", views_case.today, name="today"),
    path("approvals/", views_case.approvals, name="approvals"),
    path("approvals/<int:approval_id>/decide/", views_case.approval_decide, name="approval_decide"),
]
