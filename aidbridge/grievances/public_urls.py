"""The portal's grievances pages (no login; nothing personal): file a complaint, follow it
by its tracking code, appeal a decision."""

from django.urls import path

from aidbridge.grievances import views

app_name = "grievances_public"
urlpatterns = [
    path("", views.file_public, name="file"),
    path("filed/", views.filed, name="filed"),
    path("track/", views.track, name="track"),
    path("appeal/", views.appeal, name="appeal"),
]
