"""Each account's language: the pages follow it from the moment its user logs in (the
language switch in the menu still changes them for the visit)."""

from django.conf import settings


def remember(sender, request, user, **kwargs) -> None:
    """On ``user_logged_in``: the response of this request sets the language cookie to the
    account's language, if its user chose one (else the pages go on following the browser)."""
    if user.language:
        request.preferred_language = user.language


class LanguagePreferenceMiddleware:
    """Sets the language cookie on the response of a request that chose a language: a login
    or a change on the account page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        language = getattr(request, "preferred_language", None)
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
