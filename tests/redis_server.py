"""A real ``redis-server`` process for the tests that must talk to Redis over a connection.

Production runs the cache, sessions, rate limits and the page cache's invalidation on Redis; the
rest of the suite uses the in-memory cache for speed. This starts Debian's ``redis-server`` on a
free loopback port in a temporary folder (nothing on disk, nothing shared with a Redis the machine
already runs), and can stop and start it again so that tests can take Redis away mid-run.
"""

import shutil
import socket
import subprocess
import time

import redis


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_binary():
    return shutil.which("redis-server")


class RedisServer:
    def __init__(self, workdir, binary=None, port=None):
        self.binary = binary or redis_binary()
        self.workdir = workdir
        self.port = port or free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout=10):
        if self.is_running():
            return
        self.process = subprocess.Popen(
            [
                self.binary,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.ping():
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited with code {self.process.returncode}")
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server did not answer on port {self.port}")

    def stop(self):
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def is_running(self):
        return self.process is not None and self.process.poll() is None

    def ping(self):
        try:
            return redis.Redis(port=self.port, socket_timeout=0.5).ping()
        except redis.exceptions.ConnectionError:
            return False

    def flush(self):
        redis.Redis(port=self.port, socket_timeout=2).flushall()
