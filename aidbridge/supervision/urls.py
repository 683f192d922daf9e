"""The supervision pages: inspection plans, draws, visits, findings and rectification
(each part adds its routes in a block of its own)."""

from django.urls import path  # noqa: F401

from aidbridge.supervision import urls_inspect

app_name = "supervision"
urlpatterns: list = []

# Inspection visits, findings and rectification orders.
urlpatterns += urls_inspect.urlpatterns
