from django.urls import path

from zhixing.courts import api

urlpatterns = [
    path("me/", api.MeApi.as_view(), name="api-me"),
    path("auth/token/", api.TokenIssueApi.as_view(), name="api-token"),
    path("courts/", api.CourtListApi.as_view(), name="api-court-list"),
    path("courts/<int:court_id>/", api.CourtDetailApi.as_view(), name="api-court-detail"),
]
