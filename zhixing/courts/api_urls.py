from django.urls import path

from zhixing.courts import api, api_calendar

urlpatterns = [
    path("me/", api.MeApi.as_view(), name="api-me"),
    path("auth/token/", api.TokenIssueApi.as_view(), name="api-token"),
    path("courts/", api.CourtListApi.as_view(), name="api-court-list"),
    path("courts/<int:court_id>/", api.CourtDetailApi.as_view(), name="api-court-detail"),
    path("calendar/due-date/", api_calendar.CalendarDueDateApi.as_view(), name="api-calendar-due-date"),
    path("calendar/years/", api_calendar.CalendarYearListApi.as_view(), name="api-calendar-years"),
    path("calendar/years/<int:year>/", api_calendar.CalendarYearDetailApi.as_view(), name="api-calendar-year"),
]
