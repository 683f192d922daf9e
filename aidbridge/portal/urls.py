from django.urls import path

from aidbridge.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.need_list, name="needs"),
    path("needs/<uuid:public_id>/", views.need_detail, name="need"),
    path("photos/<uuid:public_id>/", views.photo, name="photo"),
    path("projects/", views.project_list, name="projects"),
    path("projects/<uuid:public_id>/", views.project_detail, name="project"),
    path("money/", views.money_totals, name="money"),
    path("join/", views.join, name="join"),
    path("join/done/", views.joined, name="joined"),
]
