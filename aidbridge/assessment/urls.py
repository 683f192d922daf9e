"""The county assessment pages: scorecards, results and reports
(each part adds its routes in a block of its own)."""

from django.urls import path

from aidbridge.assessment import views

app_name = "assessment"
urlpatterns: list = [
    path("", views.assessment_list, name="list"),
    path("scorecard/", views.scorecard_page, name="scorecard"),
    path("compute/", views.compute, name="compute"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/manual/", views.manual_value, name="manual"),
    path("<uuid:public_id>/review/", views.review, name="review"),
    path("<uuid:public_id>/publish/", views.publish, name="publish"),
    path("<uuid:public_id>/report.pdf", views.report_file, {"fmt": "pdf"}, name="report_pdf"),
    path("<uuid:public_id>/report.xlsx", views.report_file, {"fmt": "xlsx"}, name="report_xlsx"),
]
