import os

from django.core.wsgi import get_wsgi_application

from cms.warmup import warm_up

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

application = get_wsgi_application()
# Under gunicorn's preload_app this runs in the master, before it forks its workers.
warm_up()
