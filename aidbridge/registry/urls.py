from django.urls import path

from aidbridge.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.household_list, name="list"),
    path("import/", views.household_import, name="import"),
    path("import/template.csv", views.import_template, name="template"),
    path("<uuid:public_id>/", views.household_detail, name="detail"),
]
