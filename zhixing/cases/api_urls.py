"""API of the cases app under ``/api/v1/`` (each engineer adds their lines)."""

from django.urls import path

from zhixing.cases import api_filing, api_list, api_triage

app_name = "cases"

urlpatterns = [
    # api_filing's views extend api_list's GET with POST (立案) and PATCH (修改).
    path("cases/", api_filing.CaseCollectionApi.as_view(), name="api-case-list"),
    path("cases/<int:case_id>/", api_filing.CaseItemApi.as_view(), name="api-case-detail"),
    path("cases/<int:case_id>/assign/", api_filing.CaseAssignApi.as_view(), name="api-case-assign"),
    path("parties/<int:party_id>/cases/", api_list.PartyCasesApi.as_view(), name="api-party-cases"),
    path("cases/<int:case_id>/triage/", api_triage.CaseTriageApi.as_view(), name="api-triage"),
    path(
        "cases/<int:case_id>/triage/override/",
        api_triage.CaseTriageOverrideApi.as_view(),
        name="api-triage-override",
    ),
]
