from django.urls import path

from zhixing.courts import views, views_calendar

app_name = "courts"

urlpatterns = [
    path("", views.court_list, name="court_list"),
    path("<int:court_id>/", views.court_detail, name="court_detail"),
    path("teams/<int:team_id>/", views.team_detail, name="team_detail"),
    path("calendar/", views_calendar.calendar_overview, name="calendar"),
]
