from django.urls import path  # noqa: F401  (each part of the monitoring pages adds its routes)

from aidbridge.monitoring import views_procedure

app_name = "monitoring"
urlpatterns: list = []

# The procedure: leads, the home visit, monitored households and their plans (mproc).
urlpatterns += [
    path("leads/<uuid:public_id>/", views_procedure.lead_detail, name="lead"),
    path(
        "leads/<uuid:public_id>/step/",
        views_procedure.case_step,
        {"kind": "lead"},
        name="lead_step",
    ),
    path(
        "leads/<uuid:public_id>/visit/",
        views_procedure.case_visit,
        {"kind": "lead"},
        name="lead_visit",
    ),
    path(
        "households/<uuid:public_id>/elimination/step/",
        views_procedure.case_step,
        {"kind": "elimination"},
        name="elimination_step",
    ),
    path(
        "households/<uuid:public_id>/elimination/visit/",
        views_procedure.case_visit,
        {"kind": "elimination"},
        name="elimination_visit",
    ),
    path("households/<uuid:public_id>/", views_procedure.monitored_detail, name="monitored"),
    path(
        "households/<uuid:public_id>/measures/",
        views_procedure.measure_add,
        name="measure_add",
    ),
    path(
        "households/<uuid:public_id>/measures/<int:measure_id>/",
        views_procedure.measure_status,
        name="measure_status",
    ),
    path(
        "households/<uuid:public_id>/eliminate/",
        views_procedure.elimination_propose,
        name="elimination_propose",
    ),
    path("steps/<int:step_id>/attachment/", views_procedure.step_attachment, name="attachment"),
]
