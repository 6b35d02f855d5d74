from django.urls import path

from zhixing.documents import views

app_name = "documents"

urlpatterns = [
    path("<int:document_id>/download/", views.download, name="download"),
]
