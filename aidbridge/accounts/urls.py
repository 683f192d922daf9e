from django.contrib.auth import views as auth_views
from django.urls import path

from aidbridge.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.PasswordLoginView.as_view(), name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("me/", views.me, name="me"),
    path("me/language/", views.language, name="language"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.user_list, name="list"),
    path("new/", views.user_new, name="new"),
    path("<int:user_id>/", views.user_detail, name="detail"),
    path("<int:user_id>/active/", views.user_set_active, name="set_active"),
    path("<int:user_id>/two-step/reset/", views.user_two_factor_reset, name="two_factor_reset"),
]
