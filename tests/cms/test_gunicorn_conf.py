"""The production gunicorn settings (cms/gunicorn.conf.py), read as gunicorn reads them."""

import gc
import runpy
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[2] / "cms" / "gunicorn.conf.py"


@pytest.fixture
def conf(monkeypatch):
    for name in ("WEB_CONCURRENCY", "GUNICORN_MAX_REQUESTS", "GUNICORN_PRELOAD"):
        monkeypatch.delenv(name, raising=False)
    yield runpy.run_path(str(CONF))
    gc.unfreeze()


def test_workers_are_not_recycled_unless_asked(conf):
    assert conf["max_requests"] == 0 and conf["preload_app"] is True


@pytest.mark.parametrize("hook", ["pre_fork", "post_worker_init"])
def test_what_is_loaded_before_serving_is_left_out_of_garbage_collection(conf, hook):
    gc.unfreeze()
    tracked_before = len(gc.get_objects())
    conf[hook](*([None] * conf[hook].__code__.co_argcount))
    # Frozen objects are no longer walked by a collection: most of what the process holds.
    assert gc.get_freeze_count() > tracked_before / 2
    assert len(gc.get_objects()) < tracked_before / 2
