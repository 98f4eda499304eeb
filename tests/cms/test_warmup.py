"""A web process starts warm: the URLconf with every view, and the project's templates compiled,
before its first request (in gunicorn's master, before it forks) — not when the page cache first
misses, which for every worker at once is the moment Redis goes away."""

import logging
import os
import subprocess
import sys
from pathlib import Path

from django.template import engines

from cms.warmup import own_template_names, warm_up

REPO_DIR = Path(__file__).resolve().parents[2]


def test_loading_the_wsgi_application_imports_the_views_and_compiles_the_templates():
    script = (
        "import sys, cms.wsgi\n"
        "from django.template import engines\n"
        "from cms.warmup import own_template_names\n"
        "cached = engines['django'].engine.template_loaders[0].get_template_cache\n"
        "missing = [name for name in own_template_names() if name not in cached]\n"
        "print('members_area.burenhulp.views' in sys.modules, len(own_template_names()), missing)\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    output = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_DIR, env=env, capture_output=True, text=True
    )
    assert output.returncode == 0, output.stderr
    views_imported, template_count, missing = output.stdout.split(" ", 2)
    assert views_imported == "True"  # only the URLconf imports it
    assert int(template_count) > 100
    assert missing.strip() == "[]"


def test_the_own_templates_include_the_project_folder_and_the_apps():
    names = own_template_names()
    assert "base.html" in names
    assert "burenhulp/post_form.html" in names
    assert not any(name.startswith("wagtailadmin/") for name in names)


def test_a_template_that_does_not_compile_is_logged_and_the_process_still_starts(
    tmp_path, settings, caplog
):
    (tmp_path / "kapot.html").write_text("{% if %}")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    assert "kapot.html" in own_template_names()
    with caplog.at_level(logging.ERROR, logger="cms.warmup"):
        warm_up()
    assert [record.getMessage() for record in caplog.records] == [
        "Template kapot.html does not compile"
    ]
    engines["django"].get_template("base.html")  # the others were compiled
