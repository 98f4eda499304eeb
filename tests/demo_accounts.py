"""The demo accounts' passwords, read from the demo files (``members_area/demo/``) for tests."""

from pathlib import Path

import yaml

MEMBERS_FILE = Path(__file__).parent.parent / "members_area" / "demo" / "10-members.yaml"


def member_password():
    (accounts,) = [
        step["accounts"] for step in yaml.safe_load(MEMBERS_FILE.read_text()) if "accounts" in step
    ]
    return accounts[0]["password"]


# Every demo member has the same password.
PASSWORD = member_password()
