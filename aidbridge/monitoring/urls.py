from django.urls import path  # noqa: F401  (each part of the monitoring pages adds its routes)

app_name = "monitoring"
urlpatterns: list = []

# Relapse risk (score)
from aidbridge.monitoring import risk_views  # noqa: E402

urlpatterns += [
    path("risk/", risk_views.risk_list, name="risk"),
    path("risk/evaluation/", risk_views.risk_evaluation_page, name="risk_evaluation"),
]
