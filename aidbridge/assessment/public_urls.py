"""The portal's assessment pages (no login; nothing personal)."""

from django.urls import path  # noqa: F401

app_name = "assessment_public"
urlpatterns: list = []
