from django.urls import path  # noqa: F401  (each part of the monitoring pages adds its routes)

from aidbridge.monitoring import views_screen

app_name = "monitoring"
urlpatterns: list = []

# screen: department data
urlpatterns += [path("screen/", views_screen.screen, name="screen")]
