from django.urls import path

from aidbridge.regions import views

app_name = "regions"
urlpatterns = [
    path("load/", views.load, name="load"),
    path("<str:code>/history/", views.history, name="history"),
]
