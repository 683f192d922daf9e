from django.urls import path

from aidbridge.regions import views

app_name = "regions"
urlpatterns = [
    path("load/", views.load, name="load"),
    path("pick/", views.pick, name="pick"),
    path("<str:code>/history/", views.history, name="history"),
]
