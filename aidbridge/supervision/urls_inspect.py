"""Routes of inspection visits, findings and rectification orders (included by urls.py)."""

from django.urls import path

from aidbridge.supervision import views_inspect as views

urlpatterns = [
    path("visits/", views.visits, name="visits"),
    path("visits/<uuid:public_id>/", views.visit, name="visit"),
    path("visits/<uuid:public_id>/record/", views.visit_record, name="visit_record"),
    path("visits/<uuid:public_id>/finding/", views.finding_new, name="finding_new"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("orders/", views.orders, name="orders"),
    path("orders/<uuid:public_id>/", views.order, name="order"),
    path("orders/<uuid:public_id>/answer/", views.order_answer, name="order_answer"),
    path("orders/<uuid:public_id>/verify/", views.order_verify, name="order_verify"),
    path(
        "orders/<uuid:public_id>/accountability/",
        views.accountability_new,
        name="accountability_new",
    ),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
]
