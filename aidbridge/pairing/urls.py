from django.urls import path

from aidbridge.pairing import views

app_name = "pairing"
urlpatterns = [
    path("", views.coverage_page, name="coverage"),
    path("village/<str:code>/", views.village_page, name="village"),
    path("village/<str:code>/posts/<int:pk>/end/", views.post_end, name="post_end"),
    path("east-west/", views.east_west, name="east_west"),
    path("east-west/<int:pk>/end/", views.pairing_end, name="pairing_end"),
]
