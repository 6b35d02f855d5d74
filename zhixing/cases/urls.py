"""Workbench pages and htmx fragments of the cases app (each engineer adds their lines)."""

from django.urls import path

from zhixing.cases import views, views_filing, views_import, views_triage

app_name = "cases"

urlpatterns = [
    path("import/", views_import.import_page, name="import"),
    path("import/template.xlsx", views_import.import_template_download, name="import_template"),
    path("import/<int:batch_id>/", views_import.import_result, name="import_result"),
    path("import/<int:batch_id>/errors.xlsx", views_import.import_error_report, name="import_errors"),
    path("", views.case_list, name="case_list"),
    path("mine/", views.my_cases, name="my_cases"),
    path("export.xlsx", views.case_export, name="case_export"),
    path("<int:case_id>/", views.case_detail, name="case_detail"),
    path("<int:case_id>/parties/<int:party_id>/reveal/", views.party_reveal, name="party_reveal"),
    path("triage-rules/", views_triage.triage_rules, name="triage_rules"),
    path("<int:case_id>/triage/", views_triage.case_triage, name="triage"),
    path("<int:case_id>/triage/override/", views_triage.case_triage_override, name="triage_override"),
    path("<int:case_id>/documents/", views_triage.case_documents, name="documents"),
    path("<int:case_id>/documents/generate/", views_triage.case_document_generate, name="document_generate"),
    path("file/", views_filing.case_file, name="case_file"),
    path("<int:case_id>/assign/", views_filing.case_assign, name="case_assign"),
]
