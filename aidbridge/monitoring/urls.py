from django.urls import path  # noqa: F401  (each part of the monitoring pages adds its routes)

from aidbridge.monitoring import views_dash

app_name = "monitoring"
urlpatterns: list = []

# dash: the region's dashboards, the township's list, the criteria page
urlpatterns += [
    path("", views_dash.dashboard_page, name="dashboard"),
    path("figures/<str:key>.csv", views_dash.figure_csv, name="figure_csv"),
    path("work/", views_dash.work_page, name="work"),
    path("criteria/", views_dash.criteria_page, name="criteria"),
]
