from django.urls import path

from zhixing.courts import views, views_calendar

app_name = "courts"

urlpatterns = [
    path("", views.court_list, name="court_list"),
    path("<int:court_id>/", views.court_detail, name="court_detail"),
    path("teams/<int:team_id>/", views.team_detail, name="team_detail"),
    path("calendar/", views_calendar.calendar_overview, name="calendar"),
    path("calendar/due-date/", views_calendar.calendar_due_date, name="calendar_due_date"),
    path("calendar/<int:year>/", views_calendar.calendar_year_edit, name="calendar_year_edit"),
    path("calendar/<int:year>/confirm/", views_calendar.calendar_year_confirm, name="calendar_year_confirm"),
    path("calendar/<int:year>/days/", views_calendar.calendar_day_set, name="calendar_day_set"),
    path("calendar/<int:year>/days/remove/", views_calendar.calendar_day_remove, name="calendar_day_remove"),
]
