"""Work a web process would otherwise do on its first requests, done once when it starts.

Django imports the URLconf (and with it every view, form and export module: about 320 modules,
openpyxl and the PDF libraries included), compiles templates and reads the translation catalogues
lazily, on the first request that needs them. With the page cache in front, a gunicorn worker can
serve for hours without needing any of that, and then need all of it at the worst moment: when
Redis goes away and every worker misses the cache at once, each spent seconds importing on two
busy cores while its requests waited (measured: 16 requests stalled 9-10 s at the start of a Redis
outage). Under ``preload_app`` this runs once in gunicorn's master before it forks, so the workers
share the result and start warm.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.template import TemplateSyntaxError, engines
from django.urls import get_resolver
from django.utils import translation

logger = logging.getLogger(__name__)


def own_template_names():
    """The names of the project's own templates (``templates/`` and each app's folder)."""
    folders = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    folders += [
        Path(settings.BASE_DIR) / app.split(".")[0] / "templates"
        for app in settings.INSTALLED_APPS
        if (Path(settings.BASE_DIR) / app.split(".")[0]).is_dir()
    ]
    names = set()
    for folder in folders:
        if folder.is_dir():
            names.update(str(path.relative_to(folder)) for path in folder.rglob("*.html"))
    return sorted(names)


def warm_up():
    # Reading the patterns imports the URLconf's modules (Django's property, cached per process).
    url_patterns = get_resolver().url_patterns
    for language, _name in settings.LANGUAGES:
        translation.activate(language)  # reads the language's merged catalogue, kept per process
    translation.deactivate()
    engine = engines["django"]
    for name in own_template_names():
        try:
            engine.get_template(name)
        except TemplateSyntaxError:
            # An optimisation is never a reason not to start: the page that uses this template
            # fails on its own (and the test suite fails first).
            logger.exception("Template %s does not compile", name)
    logger.debug("Warm: %s URL patterns, templates compiled", len(url_patterns))
