from django.urls import path

from aidbridge.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.household_list, name="list"),
    path("<uuid:public_id>/", views.household_detail, name="detail"),
]
