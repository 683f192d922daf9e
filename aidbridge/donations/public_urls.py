from django.urls import path

from aidbridge.donations import views

app_name = "honour"
urlpatterns = [path("", views.honour, name="roll")]
