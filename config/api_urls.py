"""The versioned API: each app contributes its ``api_urls``."""

from django.urls import include, path

urlpatterns = [
    path("", include("zhixing.courts.api_urls")),
    path("audit/", include("zhixing.audit.api_urls")),
]
