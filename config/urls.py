"""URL map: workbench pages, the API under ``api/``, the schema and its docs, and Django admin."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from zhixing.core.api_views import HealthApi
from zhixing.courts import views as court_views

urlpatterns = [
    path("", court_views.home, name="home"),
    path("accounts/login/", court_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", court_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("courts/", include("zhixing.courts.urls")),
    path("audit/", include("zhixing.audit.urls")),
    path("cases/", include("zhixing.cases.urls")),
    path("documents/", include("zhixing.documents.urls")),
    path("flow/", include("zhixing.flow.urls")),
    path("admin/", admin.site.urls),
    path("api/health/", HealthApi.as_view(), name="api-health"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("api/v1/", include("config.api_urls")),
]

handler400 = "zhixing.core.views.bad_request"
handler403 = "zhixing.core.views.permission_denied"
handler404 = "zhixing.core.views.page_not_found"
handler500 = "zhixing.core.views.server_error"
