"""`make bench`: runs every ``tests/bench/bench_*.py`` and prints the figures the issues name.

Each benchmark module exposes ``run(report)`` and gets a database of its own, migrated once and
copied (SQLite) or created fresh (PostgreSQL with ``--database``), so that one benchmark's synthetic
corpus does not skew another's figures. Modules run in child processes for the same reason.

The children run on the production settings, as the README's "Production" section has them run:
``cms.settings.production`` with Redis as the cache (``BENCH_REDIS_URL``, emptied by the benchmarks
that need an empty cache), the hashed static files of one ``collectstatic`` per run, and only what
production must be given (``bench_http.production_env``). Only ``testserver``, the host of
Django's test client, is added to the allowed hosts for the benchmarks that call views in-process.

    make bench                                   # all, on SQLite
    make bench BENCH_ARGS="--only events"        # modules whose name contains "events"
    make bench BENCH_ARGS="--database postgres://postgres@127.0.0.1:5432/postgres"

Figures are printed as a table and written to ``bench-results/results.json`` and ``.md``.
"""

import argparse
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.bench_http import collect_static, production_env

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parents[1]
RESULTS_DIR = REPO_DIR / "bench-results"
# Each benchmark gets the PostgreSQL database <prefix><module> (dropped and created again).
DATABASE_PREFIX = os.environ.get("BENCH_DATABASE_PREFIX", "bench_")


def discover(only):
    names = sorted(path.stem for path in BENCH_DIR.glob("bench_*.py"))
    if only:
        names = [name for name in names if any(part in name for part in only)]
    return names


def child_env(database_url, static_root):
    env = production_env(static_root, page_cache=True)
    env["ALLOWED_HOSTS"] += ",testserver"
    env["DATABASE_URL"] = database_url
    env["PYTHONPATH"] = str(REPO_DIR)
    return env


def run_child(arguments, database_url, static_root):
    return subprocess.run(
        [sys.executable, "-m", "tests.bench.run", *arguments],
        cwd=REPO_DIR,
        env=child_env(database_url, static_root),
        check=False,
    ).returncode


def postgres_database_url(base_url, name):
    """Creates (or recreates) database ``name`` on the server of ``base_url``."""
    import psycopg

    server_url = base_url.rsplit("/", 1)[0]
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{server_url}/{name}"


def orchestrate(options):
    modules = discover(options.only)
    if not modules:
        print("No benchmark modules matched.")
        return 1
    RESULTS_DIR.mkdir(exist_ok=True)
    results_file = RESULTS_DIR / "results.jsonl"
    results_file.unlink(missing_ok=True)
    keep_earlier_results(results_file, modules, options.database)
    workdir = Path(tempfile.mkdtemp(prefix="stadsdorpen-bench-"))
    static_root = workdir / "static"
    print("Collecting the static files…", flush=True)
    collect_static(static_root)
    template = workdir / "template.sqlite3"
    if not options.database:
        print("Migrating a template database…", flush=True)
        if run_child(["--migrate-only"], f"sqlite:///{template}", static_root):
            return 1
    failures = []
    for module in modules:
        print(f"\n== {module} ==", flush=True)
        if options.database:
            database_url = postgres_database_url(options.database, f"{DATABASE_PREFIX}{module}")
            if run_child(["--migrate-only"], database_url, static_root):
                failures.append(module)
                continue
        else:
            database_file = workdir / f"{module}.sqlite3"
            shutil.copy(template, database_file)
            database_url = f"sqlite:///{database_file}"
        started = time.perf_counter()
        code = run_child(
            ["--module", module, "--results", str(results_file)], database_url, static_root
        )
        print(f"   ({module} took {time.perf_counter() - started:.0f} s)", flush=True)
        if code:
            failures.append(module)
    shutil.rmtree(workdir, ignore_errors=True)
    print_table(results_file, options.database)
    if failures:
        print(f"\nBenchmarks that failed: {', '.join(failures)}")
        return 1
    return 0


def keep_earlier_results(results_file, modules, database_url):
    """A partial run (--only) keeps the other modules' figures of the last run on this engine."""
    earlier_file = RESULTS_DIR / ("results-postgresql.json" if database_url else "results.json")
    if not earlier_file.exists():
        return
    running = {module.removeprefix("bench_") for module in modules}
    kept = [row for row in json.loads(earlier_file.read_text()) if row["module"] not in running]
    with open(results_file, "w") as results:
        results.writelines(json.dumps(row) + "\n" for row in kept)


def print_table(results_file, database_url):
    rows = []
    if results_file.exists():
        rows = [json.loads(line) for line in results_file.read_text().splitlines() if line]
    engine = "PostgreSQL" if database_url else "SQLite"
    lines = [
        f"Benchmark figures ({engine}, {time.strftime('%Y-%m-%d %H:%M')})",
        "",
        "| benchmark | figure | value | target | met |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        target = row.get("target") or ""
        met = {True: "yes", False: "NO", None: ""}[row.get("met")]
        value = row["value"]
        shown = format_value(value)
        lines.append(
            f"| {row['module']} | {row['name']} | {shown} {row['unit']} | {target} | {met} |"
        )
    table = "\n".join(lines)
    print("\n" + table)
    name = "results-postgresql" if database_url else "results"
    (RESULTS_DIR / f"{name}.md").write_text(table + "\n")
    (RESULTS_DIR / f"{name}.json").write_text(json.dumps(rows, indent=2))


def format_value(value):
    """One decimal for milliseconds and rates; two for ratios and scores below 10."""
    if not isinstance(value, float):
        return str(value)
    return f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"


def target_met(value, target):
    """Targets are written like "< 150", "<= 15", ">= 300" or "== 12"."""
    if not target:
        return None
    operator, _, number = target.partition(" ")
    number = float(number)
    return {
        "<": value < number,
        "<=": value <= number,
        ">": value > number,
        ">=": value >= number,
        "==": value == number,
    }[operator]


def run_module(module_name, results_path):
    import django

    django.setup()
    module = importlib.import_module(f"tests.bench.{module_name}")

    def report(name, value, unit, target=None):
        row = {
            "module": module_name.removeprefix("bench_"),
            "name": name,
            "value": value,
            "unit": unit,
            "target": target,
            "met": target_met(value, target),
        }
        with open(results_path, "a") as results:
            results.write(json.dumps(row) + "\n")
        shown = format_value(value)
        print(f"   {name}: {shown} {unit}" + (f"   (target {target})" if target else ""))

    module.run(report)
    return 0


def migrate_only():
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="run modules whose name contains one of these")
    parser.add_argument("--database", help="a PostgreSQL URL to run against instead of SQLite")
    parser.add_argument("--module", help=argparse.SUPPRESS)
    parser.add_argument("--results", help=argparse.SUPPRESS)
    parser.add_argument("--migrate-only", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.migrate_only:
        return migrate_only()
    if options.module:
        return run_module(options.module, options.results)
    return orchestrate(options)


if __name__ == "__main__":
    sys.exit(main())
