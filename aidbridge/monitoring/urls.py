from django.urls import path  # noqa: F401  (each part of the monitoring pages adds its routes)

app_name = "monitoring"
urlpatterns: list = []
