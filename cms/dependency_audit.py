"""``python -m cms.dependency_audit``: pip-audit over the locked requirements, read honestly.

pip-audit asks PyPI's JSON API (or OSV with ``--service osv``) for known vulnerabilities of every
pinned package. When that service cannot be reached, pip-audit still exits 0 and says "No known
vulnerabilities found" while it skipped every package; this wrapper tells the three outcomes apart:

* vulnerabilities found: they are listed with their fixed versions, exit 1;
* the advisory service answered for none or only some packages: a clear "NOT AUDITED" message
  naming the skipped packages, exit 0 (``--strict``: exit 2), so that CI without network access
  does not fail for the wrong reason but never claims a clean audit;
* every package audited and clean: exit 0.

See pip-audit's documentation (its project page on the Python package index).
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
PIP_AUDIT = Path(sys.executable).with_name("pip-audit")


def run_pip_audit(requirements, service):
    command = [
        str(PIP_AUDIT),
        "-r",
        str(requirements),
        "--progress-spinner",
        "off",
        "--no-deps",  # the lock file pins every package
        "--disable-pip",
        "--format",
        "json",
        "--vulnerability-service",
        service,
    ]
    completed = subprocess.run(command, cwd=REPO_DIR, capture_output=True, text=True, check=False)
    try:
        return json.loads(completed.stdout), completed.stderr
    except json.JSONDecodeError:
        return None, completed.stderr or completed.stdout


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requirements", default=REPO_DIR / "requirements" / "lock.txt")
    parser.add_argument("--service", default="pypi", choices=["pypi", "osv"])
    parser.add_argument("--strict", action="store_true", help="fail when packages were skipped")
    options = parser.parse_args(argv)

    report, errors = run_pip_audit(options.requirements, options.service)
    if report is None:
        last_line = (errors.strip().splitlines() or ["no output"])[-1]
        print(f"NOT AUDITED: pip-audit produced no report ({last_line[:500]})")
        return 2 if options.strict else 0
    dependencies = report.get("dependencies", [])
    vulnerable = [dep for dep in dependencies if dep.get("vulns")]
    skipped = [dep for dep in dependencies if dep.get("skip_reason")]
    audited = len(dependencies) - len(skipped)

    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            print(f"VULNERABLE {dep['name']} {dep['version']}: {vuln['id']} (fixed in: {fixes})")
    if vulnerable:
        print(f"{len(vulnerable)} package(s) with known vulnerabilities: upgrade the pins.")
        return 1
    if skipped:
        names = ", ".join(sorted(dep["name"] for dep in skipped))
        print(
            f"NOT AUDITED: the advisory service ({options.service}) did not answer for "
            f"{len(skipped)} of {len(dependencies)} packages (no network access to it?). "
            f"Audited and clean: {audited}. Skipped: {names}"
        )
        return 2 if options.strict else 0
    print(f"No known vulnerabilities in {audited} locked packages ({options.service}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
