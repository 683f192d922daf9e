from django.urls import path

from aidbridge.needs import views

app_name = "needs"
urlpatterns = [
    path("", views.need_list, name="list"),
    path("new/", views.need_new, name="new"),
    path("<uuid:public_id>/", views.need_detail, name="detail"),
    path("<uuid:public_id>/act/", views.need_act, name="act"),
    path("<uuid:public_id>/claim/", views.need_claim, name="claim"),
    path("claims/<uuid:public_id>/act/", views.claim_act, name="claim_act"),
    path("claims/<uuid:public_id>/evidence", views.claim_evidence, name="evidence"),
    path("documents/<uuid:public_id>", views.need_document, name="document"),
]
