"""A PostgreSQL server of our own, for the tests and benchmarks that stop the database.

The machine's PostgreSQL (port 5432) is shared: it must never be stopped. This makes a throw-away
cluster with Debian's binaries (``initdb`` / ``pg_ctl`` from ``/usr/lib/postgresql/<version>/bin``)
in a temporary folder, on a port of its own, with trust authentication on loopback only, and can
stop and start it again: a real server going away and coming back, as in a restart or failover.

PostgreSQL refuses to run as root; when we are root the commands run as the ``postgres`` user
(Debian's package creates it), which then owns the folder.
"""

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

from tests.redis_server import free_port

BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def postgres_bin_dir():
    """The newest installed version's binary folder, or None when PostgreSQL is not installed."""
    for folder in BIN_DIRS:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).parent
    return None


class PostgresServer:
    def __init__(self, workdir=None, port=None, bin_dir=None, settings=None):
        self.bin_dir = Path(bin_dir or postgres_bin_dir())
        # Under /tmp itself by default: pytest's tmp_path is private to root, and the server may
        # run as the postgres user.
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="stadsdorpen-postgres-"))
        self.data_dir = self.workdir / "data"
        self.port = port or free_port()
        # Extra ``-c`` settings (a test cluster may switch fsync off; a benchmark keeps defaults).
        self.settings = settings or {}
        self.run_as = None
        if os.geteuid() == 0:
            self.run_as = pwd.getpwnam("postgres")

    def url(self, database="postgres"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _command(self, *arguments, check=True, timeout=120):
        command = [str(self.bin_dir / arguments[0]), *arguments[1:]]
        if self.run_as:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, timeout=timeout, capture_output=True, text=True)

    def init(self):
        self.workdir.mkdir(parents=True, exist_ok=True)
        if self.run_as:
            os.chown(self.workdir, self.run_as.pw_uid, self.run_as.pw_gid)
        self._command(
            "initdb",
            "-D",
            str(self.data_dir),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )

    def start(self):
        if self.is_running():
            return
        options = [
            f"-p {self.port}",
            "-c listen_addresses=127.0.0.1",
            f"-c unix_socket_directories={self.workdir}",
            *(f"-c {name}={value}" for name, value in self.settings.items()),
        ]
        self._command(
            "pg_ctl",
            "-D",
            str(self.data_dir),
            "-l",
            str(self.workdir / "server.log"),
            "-o",
            " ".join(options),
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self, mode="fast"):
        """``fast`` disconnects every client at once, as a restart or a failover does."""
        if self.is_running():
            self._command("pg_ctl", "-D", str(self.data_dir), "-m", mode, "-w", "stop")

    def is_running(self):
        if not self.data_dir.exists():
            return False
        status = self._command("pg_ctl", "-D", str(self.data_dir), "status", check=False)
        return status.returncode == 0

    def wait_ready(self, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            try:
                with psycopg.connect(self.url(), connect_timeout=2):
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def create_database(self, name):
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def copy_database(self, source, name):
        """Copies database ``source`` (a dict with HOST, PORT, USER, NAME, PASSWORD, as in
        Django's settings) into a new database ``name`` here, schema and rows: much faster than
        running every migration again (about 80 s for this project on PostgreSQL)."""
        self.create_database(name)
        env = dict(os.environ, PGPASSWORD=source.get("PASSWORD") or "")
        dump = subprocess.Popen(
            [
                str(self.bin_dir / "pg_dump"),
                "--no-owner",
                "--no-privileges",
                "-h",
                source.get("HOST") or "127.0.0.1",
                "-p",
                str(source.get("PORT") or 5432),
                "-U",
                source.get("USER") or "postgres",
                source["NAME"],
            ],
            stdout=subprocess.PIPE,
            env=env,
        )
        restore = subprocess.run(
            [
                str(self.bin_dir / "psql"),
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                name,
            ],
            stdin=dump.stdout,
            stdout=subprocess.DEVNULL,
            check=False,
        )
        dump.stdout.close()
        if dump.wait() or restore.returncode:
            raise RuntimeError(f"copying {source['NAME']} into {name} failed")
        return self.url(name)

    def destroy(self):
        try:
            self.stop(mode="immediate")
        finally:
            shutil.rmtree(self.workdir, ignore_errors=True)
