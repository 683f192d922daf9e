"""The portal's supervision pages (no login; nothing personal)."""

from django.urls import path

from aidbridge.supervision import views_public_plans

app_name = "supervision_public"
urlpatterns: list = []

# Published plans and their draws.
urlpatterns += [
    path("", views_public_plans.plan_list, name="plans"),
    path("plans/<uuid:public_id>/", views_public_plans.plan_detail, name="plan"),
    path("plans/<uuid:public_id>/draw.json", views_public_plans.draw_file, name="draw_file"),
]
