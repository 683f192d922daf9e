"""The grievance pages: complaints, their deadlines, decisions and appeals
(each part adds its routes in a block of its own)."""

from django.urls import path  # noqa: F401

app_name = "grievances"
urlpatterns: list = []
