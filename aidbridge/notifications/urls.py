from django.urls import path

from aidbridge.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.read_all, name="read_all"),
    path("<int:pk>/read/", views.read_one, name="read"),
]
