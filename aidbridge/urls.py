from django.urls import include, path, re_path

from aidbridge.api import api, not_found

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    re_path(r"^api/v1/", not_found),
    path("accounts/", include("aidbridge.accounts.urls")),
    path("regions/", include("aidbridge.regions.urls")),
    path("jobs/", include("aidbridge.jobs.urls")),
    path("households/", include("aidbridge.registry.urls")),
    path("needs/", include("aidbridge.needs.urls")),
    path("helpers/", include("aidbridge.helpers.urls")),
    path("pairing/", include("aidbridge.pairing.urls")),
    path("matching/", include("aidbridge.matching.urls")),
    path("projects/", include("aidbridge.spending.urls")),
    path("projects/", include("aidbridge.projects.urls")),
    path("notifications/", include("aidbridge.notifications.urls")),
    path("donations/", include("aidbridge.donations.urls")),
    path("loans/", include("aidbridge.loans.urls")),
    path("monitoring/", include("aidbridge.monitoring.urls")),
    path("supervision/", include("aidbridge.supervision.urls")),
    path("grievances/", include("aidbridge.grievances.urls")),
    path("assessment/", include("aidbridge.assessment.urls")),
    path("portal/ledger/", include("aidbridge.ledger.urls")),
    path("portal/honour/", include("aidbridge.donations.public_urls")),
    path("portal/monitoring/", include("aidbridge.monitoring.public_urls")),
    path("portal/supervision/", include("aidbridge.supervision.public_urls")),
    path("portal/grievances/", include("aidbridge.grievances.public_urls")),
    path("portal/assessment/", include("aidbridge.assessment.public_urls")),
    path("portal/", include("aidbridge.portal.urls")),
    path("", include("aidbridge.insights.urls")),
]

handler403 = "aidbridge.pages.permission_denied"
handler404 = "aidbridge.pages.page_not_found"
handler500 = "aidbridge.pages.server_error"
