from django.urls import path

from aidbridge.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.checkpoints, name="checkpoints"),
    path("checkpoints/<int:size>.txt", views.checkpoint_note, name="note"),
    path("key.txt", views.verifier_key, name="key"),
    path("verify/", views.verify, name="verify"),
]
