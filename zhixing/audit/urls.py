from django.urls import path

from zhixing.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.record_list, name="record_list"),
    path("<int:record_id>/", views.record_detail, name="record_detail"),
    path("verify/", views.verify_now, name="verify"),
]
