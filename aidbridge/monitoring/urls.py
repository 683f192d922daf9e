from django.urls import path  # noqa: F401  (each part of the monitoring pages adds its routes)

from aidbridge.monitoring import views_channels, views_dash, views_procedure, views_screen

app_name = "monitoring"
urlpatterns: list = []

# Leads from people: visits, calls recorded for a household, self-reports to link.
urlpatterns += [
    path("households/<uuid:public_id>/visit/", views_channels.visit_new, name="visit"),
    path("households/<uuid:public_id>/call/", views_channels.hotline_new, name="call"),
    path("self-reports/", views_channels.self_reports, name="self_reports"),
    path(
        "self-reports/<uuid:public_id>/link/",
        views_channels.self_report_link,
        name="self_report_link",
    ),
    path("my-households/", views_channels.my_households, name="my_households"),
    path("visit-photos/<int:pk>/", views_channels.visit_photo, name="visit_photo"),
]

# dash: the region's dashboards, the township's list, the criteria page
urlpatterns += [
    path("", views_dash.dashboard_page, name="dashboard"),
    path("figures/<str:key>.csv", views_dash.figure_csv, name="figure_csv"),
    path("work/", views_dash.work_page, name="work"),
    path("criteria/", views_dash.criteria_page, name="criteria"),
]
# screen: department data
urlpatterns += [path("screen/", views_screen.screen, name="screen")]
# Relapse risk (score)
from aidbridge.monitoring import risk_views  # noqa: E402

urlpatterns += [
    path("risk/", risk_views.risk_list, name="risk"),
    path("risk/evaluation/", risk_views.risk_evaluation_page, name="risk_evaluation"),
]

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
        "monitored/<uuid:public_id>/elimination/step/",
        views_procedure.case_step,
        {"kind": "elimination"},
        name="elimination_step",
    ),
    path(
        "monitored/<uuid:public_id>/elimination/visit/",
        views_procedure.case_visit,
        {"kind": "elimination"},
        name="elimination_visit",
    ),
    path("monitored/<uuid:public_id>/", views_procedure.monitored_detail, name="monitored"),
    path(
        "monitored/<uuid:public_id>/measures/",
        views_procedure.measure_add,
        name="measure_add",
    ),
    path(
        "monitored/<uuid:public_id>/measures/<int:measure_id>/",
        views_procedure.measure_status,
        name="measure_status",
    ),
    path(
        "monitored/<uuid:public_id>/eliminate/",
        views_procedure.elimination_propose,
        name="elimination_propose",
    ),
    path("steps/<int:step_id>/attachment/", views_procedure.step_attachment, name="attachment"),
]
