"""The portal's assessment pages (no login; nothing personal)."""

from django.urls import path

from aidbridge.assessment import views_public

app_name = "assessment_public"
urlpatterns: list = [
    path("", views_public.published_list, name="list"),
    path("<uuid:public_id>/", views_public.published_detail, name="detail"),
    path(
        "<uuid:public_id>/report.pdf",
        views_public.published_report,
        {"fmt": "pdf"},
        name="report_pdf",
    ),
    path(
        "<uuid:public_id>/report.xlsx",
        views_public.published_report,
        {"fmt": "xlsx"},
        name="report_xlsx",
    ),
]
