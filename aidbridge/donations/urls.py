from django.urls import path

from aidbridge.donations import views

app_name = "donations"
urlpatterns = [
    path("", views.donation_list, name="list"),
    path("give/<uuid:public_id>/", views.donate, name="give"),
    path("<uuid:public_id>/", views.donation_detail, name="detail"),
    path("<uuid:public_id>/receive/", views.donation_receive, name="receive"),
    path("<uuid:public_id>/cancel/", views.donation_cancel, name="cancel"),
    path("<uuid:public_id>/receipt.json", views.receipt_file, name="receipt"),
    path("<uuid:public_id>/receipt.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("statement/<int:year>/", views.statement, name="statement"),
    path("statement/<int:year>.pdf", views.statement, {"as_pdf": True}, name="statement_pdf"),
]
