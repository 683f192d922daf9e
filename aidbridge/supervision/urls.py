"""The supervision pages: inspection plans, draws, visits, findings and rectification
(each part adds its routes in a block of its own)."""

from django.urls import path

from aidbridge.supervision import urls_inspect, views_plans

app_name = "supervision"
urlpatterns: list = []

# Plans and their draws.
urlpatterns += [
    path("", views_plans.plan_list, name="home"),
    path("plans/new/", views_plans.plan_new, name="plan_new"),
    path("plans/<uuid:public_id>/", views_plans.plan_detail, name="plan"),
    path("plans/<uuid:public_id>/publish/", views_plans.plan_publish, name="plan_publish"),
    path("plans/<uuid:public_id>/draw/", views_plans.plan_draw, name="plan_draw"),
    path("plans/<uuid:public_id>/close/", views_plans.plan_close, name="plan_close"),
]
# Inspection visits, findings and rectification orders.
urlpatterns += urls_inspect.urlpatterns
