from django.urls import path

from zhixing.audit import api

urlpatterns = [
    path("records/", api.AuditRecordListApi.as_view(), name="api-audit-record-list"),
    path("records/<int:record_id>/", api.AuditRecordDetailApi.as_view(), name="api-audit-record-detail"),
    path("verification/", api.AuditVerificationApi.as_view(), name="api-audit-verification"),
]
