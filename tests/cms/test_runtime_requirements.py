"""The production image installs the runtime dependencies only, at the locked versions."""

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;]+)", re.M)


def pins(name):
    text = (REPO / "requirements" / name).read_text()
    return {package.lower().split("[")[0]: version for package, version in PIN.findall(text)}


def test_the_image_installs_runtime_txt_and_it_holds_no_test_tools():
    dockerfile = (REPO / "Dockerfile").read_text()
    assert "requirements/runtime.txt" in dockerfile
    assert "pip install -r requirements/lock.txt" not in dockerfile
    runtime = pins("runtime.txt")
    dev = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    for requirement in dev["dev"]:
        name = re.split(r"[<>=\[ ]", requirement)[0].lower()
        assert name not in runtime, name
    for tool in ("playwright", "pytest", "hypothesis", "ruff", "aiosmtpd"):
        assert tool not in runtime


def test_runtime_versions_are_the_locked_ones():
    runtime, lock = pins("runtime.txt"), pins("lock.txt")
    assert {"django", "wagtail", "gunicorn", "django-tasks-db", "redis"} <= set(runtime)
    assert {name: lock.get(name) for name in runtime} == runtime
