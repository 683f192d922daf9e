"""The supervision pages: inspection plans, draws, visits, findings and rectification
(each part adds its routes in a block of its own)."""

from django.urls import path  # noqa: F401

app_name = "supervision"
urlpatterns: list = []
