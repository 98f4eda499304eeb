"""Runs each app's demo content builder in dependency order.

Each app that has demo content provides ``<app>/demo.py`` with ``load(context)``; the function must
be idempotent (a second run updates, never duplicates) and may add accounts to
``context.accounts`` so that ``load_demo`` prints them.
"""

import importlib
import importlib.util
from dataclasses import dataclass, field

APP_DEMO_MODULES = [
    "home.demo",
    "kennisbank.demo",
    "events.demo",
    "members_area.demo",
    "members_area.subscriptions.demo",
]


@dataclass
class DemoAccount:
    role: str
    username: str
    password: str
    note: str = ""


@dataclass
class DemoContext:
    stdout: object
    accounts: list[DemoAccount] = field(default_factory=list)
    # Filled by home.demo: the Dutch home page and its English translation.
    home_page: object = None
    home_page_en: object = None

    def log(self, message):
        self.stdout.write(message)


def load_all(stdout):
    context = DemoContext(stdout=stdout)
    for module_name in APP_DEMO_MODULES:
        if importlib.util.find_spec(module_name) is None:
            continue
        importlib.import_module(module_name).load(context)
    # The main menu links to the other apps' index pages, which only exist at this point.
    importlib.import_module("home.demo").finalize(context)
    return context
