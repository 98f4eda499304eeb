from tests.members_area.conftest import clear_cache, world  # noqa: F401
