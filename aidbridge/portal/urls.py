from django.urls import path

from aidbridge.portal import notices, views
from aidbridge.portal.opendata_views import open_data, open_data_file

app_name = "portal"
urlpatterns = [
    path("", views.need_list, name="needs"),
    path("needs/<uuid:public_id>/", views.need_detail, name="need"),
    path("photos/<uuid:public_id>/", views.photo, name="photo"),
    path("projects/", views.project_list, name="projects"),
    path("projects/<uuid:public_id>/", views.project_detail, name="project"),
    path("money/", views.money_totals, name="money"),
    path("money/entries/", views.figure_entries, name="entries"),
    path("notices/", notices.notice_index, name="notices"),
    path("notices/<str:code>/", notices.village_notice_page, name="village_notices"),
    path("notices/<str:code>/qr.svg", notices.village_notice_qr, name="village_notices_qr"),
    path("join/", views.join, name="join"),
    path("join/done/", views.joined, name="joined"),
    # Open data
    path("open-data/", open_data, name="open_data"),
    path("open-data/<slug:key>/", open_data_file, name="open_data_file"),
]
