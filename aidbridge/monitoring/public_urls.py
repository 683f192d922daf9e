"""The portal's monitoring pages (no login): report that a household is in trouble, and
follow the report by its tracking code."""

from django.urls import path

from aidbridge.monitoring import views_channels

app_name = "monitoring_public"
urlpatterns = [
    path("report/", views_channels.self_report, name="report"),
    path("report/done/", views_channels.self_reported, name="reported"),
    path("track/", views_channels.track, name="track"),
]
