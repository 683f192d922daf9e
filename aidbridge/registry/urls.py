from django.urls import path

from aidbridge.registry import responsible_views, rules_views, views

app_name = "registry"
urlpatterns = [
    path("", views.household_list, name="list"),
    path("new/", views.household_new, name="new"),
    path("member-row/", views.member_row, name="member_row"),
    path("import/", views.household_import, name="import"),
    path("export.csv", views.household_export, name="export"),
    path("pick/", views.household_pick_view, name="pick"),
    path("import/template.csv", views.import_template, name="template"),
    path("rules/", rules_views.rules_page, name="rules"),
    path("<uuid:public_id>/", views.household_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.household_edit_page, name="edit"),
    path("<uuid:public_id>/procedure/", views.household_procedure, name="procedure"),
    path(
        "<uuid:public_id>/helpers/new/", responsible_views.responsible_new, name="responsible_new"
    ),
    path(
        "<uuid:public_id>/helpers/<int:pk>/end/",
        responsible_views.responsible_end,
        name="responsible_end",
    ),
    path(
        "<uuid:public_id>/procedure/steps/<int:step_id>/attachment",
        views.step_attachment,
        name="attachment",
    ),
]
