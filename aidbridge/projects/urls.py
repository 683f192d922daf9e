from django.urls import path

from aidbridge.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_new, name="new"),
    path("<uuid:public_id>/", views.project_detail, name="detail"),
    path("<uuid:public_id>/add/<slug:part>/", views.project_add, name="add"),
    path("<uuid:public_id>/advance/", views.project_advance, name="advance"),
    path("<uuid:public_id>/statement/", views.project_statement, name="statement"),
    path("milestones/<uuid:public_id>/done/", views.milestone_done, name="milestone_done"),
    path("milestones/<uuid:public_id>/evidence", views.milestone_evidence, name="evidence"),
]
