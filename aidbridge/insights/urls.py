from django.urls import path

from aidbridge.insights import views, worklist_views

app_name = "insights"
urlpatterns = [
    path("", views.home, name="home"),
    path("regions/<str:code>/", views.region, name="region"),
    path("work/", worklist_views.worklist_page, name="worklist"),
]
