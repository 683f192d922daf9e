"""The county assessment pages: scorecards, results and reports
(each part adds its routes in a block of its own)."""

from django.urls import path  # noqa: F401

app_name = "assessment"
urlpatterns: list = []
