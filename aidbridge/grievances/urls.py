"""The grievance pages: complaints, their deadlines, decisions and appeals."""

from django.urls import path

from aidbridge.grievances import views

app_name = "grievances"
urlpatterns = [
    path("", views.grievance_list, name="list"),
    path("new/", views.file_on_behalf, name="new"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/assign/", views.assign, name="assign"),
    path("<uuid:public_id>/take-up/", views.take_up, name="take_up"),
    path("<uuid:public_id>/escalate/", views.escalate, name="escalate"),
    path("<uuid:public_id>/decide/", views.decide, name="decide"),
]
