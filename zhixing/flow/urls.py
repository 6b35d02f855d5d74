"""Pages of the flow app, under ``/flow/`` (namespace ``flow``): the case's progress, alerts, supervision, models."""

from django.urls import include, path

app_name = "flow"

urlpatterns = [
    path("", include("zhixing.flow.urls_case")),
    path("", include("zhixing.flow.urls_board")),
]
