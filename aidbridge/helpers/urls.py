from django.urls import path

from aidbridge.helpers import views

app_name = "helpers"
urlpatterns = [
    path("", views.helper_list, name="list"),
    path("documents/<uuid:public_id>", views.helper_document_file, name="document"),
    path("<slug:code>/", views.helper_detail, name="detail"),
    path("<slug:code>/verify/", views.helper_verify_view, name="verify"),
    path("<slug:code>/hub/", views.helper_hub_view, name="hub"),
    path("<slug:code>/reject/", views.helper_reject_view, name="reject"),
    path("<slug:code>/documents/", views.helper_document_view, name="add_document"),
    path("<slug:code>/staff/", views.helper_staff_view, name="staff"),
    path("<slug:code>/seal/", views.helper_seal_view, name="seal"),
    path("<slug:code>/statement/", views.helper_statement, name="statement"),
    path("<slug:code>/entries/", views.helper_entries, name="entries"),
]
