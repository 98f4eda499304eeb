"""The visitor's chosen text size, read from a cookie so that it works without JavaScript."""

TEXT_SIZE_COOKIE = "tekstgrootte"
TEXT_SIZES = ("normaal", "groot", "extra-groot")
DEFAULT_TEXT_SIZE = "normaal"


def get_text_size(request):
    value = request.COOKIES.get(TEXT_SIZE_COOKIE, DEFAULT_TEXT_SIZE)
    return value if value in TEXT_SIZES else DEFAULT_TEXT_SIZE


def text_size(request):
    return {"text_size": get_text_size(request), "text_sizes": TEXT_SIZES}
