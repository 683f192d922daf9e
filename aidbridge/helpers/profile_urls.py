from django.urls import path

from aidbridge.helpers import profiles

app_name = "helpers"
urlpatterns = [
    path("", profiles.helper_list, name="list"),
    path("<slug:code>/", profiles.helper_detail, name="detail"),
    path("<slug:code>/verify/", profiles.helper_verify_view, name="verify"),
    path("<slug:code>/hub/", profiles.helper_hub_view, name="hub"),
]
