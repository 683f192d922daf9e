"""Messages kept to be written again in another language (stored records shown to readers
of every language)."""

from django.utils import translation


class Sentence(str):
    """A lazy message filled with its parameters: a string in the language active when it is
    made, that can be written again in another (``in_language``), as a stored record shown to
    readers of every language must be. Parameters may be sentences themselves."""

    def __new__(cls, message, params: dict | None = None):
        params = params or {}
        self = super().__new__(cls, _fill(message, params))
        self.message, self.params = message, params
        return self

    def in_language(self, language: str) -> str:
        with translation.override(language):
            return _fill(
                self.message,
                {
                    k: v.in_language(language) if isinstance(v, Sentence) else v
                    for k, v in self.params.items()
                },
            )


def _fill(message, params: dict) -> str:
    text = str(message)
    return text % {k: str(v) for k, v in params.items()} if params else text
