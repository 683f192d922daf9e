from django.urls import path

from aidbridge.loans import views

app_name = "loans"
urlpatterns = [
    path("", views.loan_list, name="list"),
    path("export.<str:fmt>", views.loan_export, name="export"),
    path("new/<uuid:household_id>/", views.loan_new, name="new"),
    path("<uuid:public_id>/", views.loan_detail, name="detail"),
    path("<uuid:public_id>/repay/", views.loan_repay, name="repay"),
    path("<uuid:public_id>/subsidy/", views.loan_subsidy, name="subsidy"),
]
