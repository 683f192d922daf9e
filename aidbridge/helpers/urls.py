from django.urls import path

from aidbridge.helpers import pairing_views

app_name = "pairing"
urlpatterns = [
    path("", pairing_views.coverage_page, name="coverage"),
    path("village/<str:code>/", pairing_views.village_page, name="village"),
    path("village/<str:code>/posts/<int:pk>/end/", pairing_views.post_end, name="post_end"),
    path("east-west/", pairing_views.east_west, name="east_west"),
    path("east-west/<int:pk>/end/", pairing_views.pairing_end, name="pairing_end"),
]
