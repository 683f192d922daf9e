from django.urls import path

from aidbridge.spending import views

app_name = "spending"
urlpatterns = [
    path("<uuid:public_id>/spending/", views.spending_project, name="project"),
    path("<uuid:public_id>/spending/<slug:kind>/", views.spending_new, name="new"),
    path("<uuid:public_id>/spending-threshold/", views.threshold_set, name="threshold"),
    path("spending/<uuid:public_id>/decide/", views.spending_decide, name="decide"),
    path("spending/evidence/<uuid:public_id>", views.evidence_file, name="evidence"),
]
