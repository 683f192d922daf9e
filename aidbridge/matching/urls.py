from django.urls import path

from aidbridge.matching import views

app_name = "matching"
urlpatterns = [
    path("", views.home, name="home"),
    path("rounds/<uuid:public_id>/", views.round_detail, name="round"),
    path("rounds/<uuid:public_id>/act/", views.round_act, name="round_act"),
    path("offers/", views.offer_list, name="offers"),
    path("offers/new/", views.offer_new, name="offer_new"),
    path("offers/<uuid:public_id>/", views.offer_detail, name="offer"),
    path("offers/<uuid:public_id>/open/", views.offer_open, name="offer_open"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/<uuid:public_id>/answer/", views.proposal_answer, name="answer"),
    path("gaps/", views.gaps, name="gaps"),
]
