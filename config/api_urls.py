"""The versioned API: each app contributes its ``api_urls``."""

from django.urls import include, path

urlpatterns = [
    path("", include("zhixing.courts.api_urls")),
    path("audit/", include("zhixing.audit.api_urls")),
    # The cases app names its API routes under the instance namespace "cases_api" (its pages use "cases").
    path("", include("zhixing.cases.api_urls", namespace="cases_api")),
    path("flow/", include("zhixing.flow.api_urls")),
]
