from django.urls import path

from aidbridge.helpers import views

app_name = "helpers"
urlpatterns = [
    path("", views.helper_list, name="list"),
    path("<slug:code>/", views.helper_detail, name="detail"),
    path("<slug:code>/verify/", views.helper_verify_view, name="verify"),
    path("<slug:code>/hub/", views.helper_hub_view, name="hub"),
]
