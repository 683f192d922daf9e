"""The portal's grievances pages (no login; nothing personal)."""

from django.urls import path  # noqa: F401

app_name = "grievances_public"
urlpatterns: list = []
