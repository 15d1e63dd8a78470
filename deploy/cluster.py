"""N Streamlit replicas of the dashboard behind HAProxy on 127.0.0.1 (`make cluster`), and its config.

    python -m deploy.cluster run [--replicas 2] [--port 8080]   # until Ctrl-C
    python -m deploy.cluster config [--bind :80] HOST:PORT ...  # a config for your own HAProxy

`Cluster` (and `cluster(replicas) -> base URL`) is what the tests and the benchmark use: it
renders deploy/haproxy.cfg.in for the replicas, starts them on free ports with one shared
cookie secret, waits for their /_stcore/health, starts HAProxy, and stops everything on exit.
Nothing here imports the dashboard: it runs `streamlit run dashboard.py` like an operator.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
REPO_ROOT = DEPLOY.parent
TEMPLATE = DEPLOY / "haproxy.cfg.in"
HEALTH = "/_stcore/health"
# Debian installs it in /usr/sbin, which a non-login shell's PATH may lack.
HAPROXY_FALLBACK = Path("/usr/sbin/haproxy")
# The serving configuration of a replica (the Dockerfile's CMD says the same inside a container).
STREAMLIT_ARGS = (
    "--server.headless", "true",
    "--server.fileWatcherType", "none",
    "--browser.gatherUsageStats", "false",
    "--logger.enableRich", "false",
)
START_TIMEOUT = 90.0


def render_config(servers: Sequence[str], *, bind: str, stats_socket: str) -> str:
    """deploy/haproxy.cfg.in for these replicas ("host:port"), named r1, r2, ... in order.

    Each replica's name is its stickiness cookie's value and its X-Replica header.
    """
    if not servers:
        raise ValueError("at least one replica")
    lines = [
        f"    server r{i} {address} check cookie r{i}" for i, address in enumerate(servers, 1)
    ]
    return string.Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        bind=bind, stats_socket=stats_socket, servers="\n".join(lines)
    )


def haproxy_binary() -> str | None:
    """The haproxy program: on PATH, else Debian's /usr/sbin/haproxy; None if neither."""
    found = shutil.which("haproxy")
    if found:
        return found
    return str(HAPROXY_FALLBACK) if os.access(HAPROXY_FALLBACK, os.X_OK) else None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str, timeout: float = 2.0) -> bool:
    """True if `url` + /_stcore/health answers "ok"."""
    try:
        with urllib.request.urlopen(url.rstrip("/") + HEALTH, timeout=timeout) as resp:
            return resp.status == 200 and resp.read().strip() == b"ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def _stop(process: subprocess.Popen | None, timeout: float = 10.0) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


@dataclass
class Replica:
    """One `streamlit run dashboard.py` process."""

    name: str
    port: int
    log_path: Path
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""


class Cluster:
    """Replicas and HAProxy on 127.0.0.1; a context manager that stops them all on exit."""

    def __init__(self, replicas: int = 2, *, port: int | None = None,
                 script: str = "dashboard.py", env: dict[str, str] | None = None,
                 workdir: str | os.PathLike[str] | None = None):
        if replicas < 1:
            raise ValueError("at least one replica")
        self.haproxy_binary = haproxy_binary()
        if self.haproxy_binary is None:
            raise RuntimeError("haproxy is not installed (Debian: apt-get install haproxy)")
        self._tmp = None if workdir else tempfile.TemporaryDirectory(prefix="haixi-cluster-")
        self.dir = Path(workdir or self._tmp.name)
        self.script = script
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        # One secret for every replica, as Streamlit signs its cookies with it; STREAMLIT_*
        # settings given in the environment (or `env`) win.
        self.env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        self.env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
        self.replicas = [
            Replica(f"r{i}", free_port(), self.dir / f"r{i}.log") for i in range(1, replicas + 1)
        ]
        self.config_path = self.dir / "haproxy.cfg"
        self.stats_socket = self.dir / "haproxy.sock"
        self.haproxy_log = self.dir / "haproxy.log"
        self.haproxy: subprocess.Popen | None = None

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> Cluster:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self, timeout: float = START_TIMEOUT) -> None:
        self.config_path.write_text(render_config(
            [f"127.0.0.1:{r.port}" for r in self.replicas],
            bind=f"127.0.0.1:{self.port}", stats_socket=str(self.stats_socket),
        ), encoding="utf-8")
        for replica in self.replicas:
            self._spawn(replica)
        deadline = time.monotonic() + timeout
        for replica in self.replicas:
            self._wait_healthy(replica, deadline)
        with open(self.haproxy_log, "ab") as log:
            self.haproxy = subprocess.Popen(
                [self.haproxy_binary, "-db", "-f", str(self.config_path)],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )
        self.wait_status({r.name: "UP" for r in self.replicas}, deadline - time.monotonic())

    def stop(self) -> None:
        _stop(self.haproxy)
        for replica in self.replicas:
            _stop(replica.process)
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def _spawn(self, replica: Replica) -> None:
        cmd = [sys.executable, "-m", "streamlit", "run", self.script,
               "--server.address", "127.0.0.1", "--server.port", str(replica.port),
               *STREAMLIT_ARGS]
        with open(replica.log_path, "ab") as log:
            replica.process = subprocess.Popen(
                cmd, cwd=REPO_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )

    def _wait_healthy(self, replica: Replica, deadline: float) -> None:
        while not healthy(replica.url):
            if replica.process.poll() is not None:
                raise RuntimeError(f"replica {replica.name} exited with code "
                                   f"{replica.process.returncode}:\n{replica.log()}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"replica {replica.name} not healthy:\n{replica.log()}")
            time.sleep(0.2)

    # ------------------------------------------------------------------ faults

    def replica(self, name: str) -> Replica:
        return next(r for r in self.replicas if r.name == name)

    def kill(self, name: str) -> None:
        """Kill a replica at once (SIGKILL), as a crash or a lost machine would."""
        process = self.replica(name).process
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(timeout=10)

    def restart(self, name: str, timeout: float = START_TIMEOUT) -> None:
        """Start a killed replica again on its port and wait until it answers its health check."""
        replica = self.replica(name)
        _stop(replica.process)
        self._spawn(replica)
        self._wait_healthy(replica, time.monotonic() + timeout)

    # ------------------------------------------------------------------ HAProxy's view

    def stats(self) -> dict[str, dict[str, str]]:
        """HAProxy's `show stat` for the replicas: name -> row (status, scur, stot, ...)."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(5)
            sock.connect(str(self.stats_socket))
            sock.sendall(b"show stat\n")
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        text = b"".join(chunks).decode("utf-8").lstrip("# ")
        rows = csv.DictReader(io.StringIO(text))
        return {row["svname"]: row for row in rows
                if row["pxname"] == "streamlit" and row["svname"].startswith("r")}

    def status(self) -> dict[str, str]:
        """name -> "UP", "DOWN", ... as HAProxy's health checks see each replica now."""
        return {name: row["status"].split()[0] for name, row in self.stats().items()}

    def wait_status(self, wanted: dict[str, str], timeout: float) -> None:
        """Wait (at most `timeout` s) until HAProxy sees each named replica in that status."""
        deadline = time.monotonic() + max(timeout, 0.0)
        seen: dict[str, str] = {}
        while True:
            if self.haproxy is not None and self.haproxy.poll() is not None:
                raise RuntimeError(f"haproxy exited with code {self.haproxy.returncode}:\n"
                                   + self.haproxy_log.read_text(errors="replace"))
            with contextlib.suppress(OSError):
                seen = self.status()
                if all(seen.get(name) == state for name, state in wanted.items()):
                    return
            if time.monotonic() > deadline:
                raise TimeoutError(f"HAProxy sees {seen}, not {wanted}")
            time.sleep(0.2)


@contextlib.contextmanager
def cluster(replicas: int = 2, **kwargs) -> Iterator[str]:
    """`replicas` dashboards behind HAProxy until the block exits; yields HAProxy's base URL."""
    with Cluster(replicas, **kwargs) as running:
        yield running.url


# ---------------------------------------------------------------------------- command line


def _run(args: argparse.Namespace) -> int:
    def interrupt(signum, _frame):
        raise KeyboardInterrupt

    # Ctrl-C and a plain `kill` both stop every process (also where a shell started this in
    # the background with SIGINT ignored).
    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    try:
        with Cluster(args.replicas, port=args.port) as running:
            print(f"{len(running.replicas)} replicas behind HAProxy at {running.url}", flush=True)
            for replica in running.replicas:
                print(f"  {replica.name}: {replica.url} (log {replica.log_path})", flush=True)
            print("Ctrl-C stops them all.", flush=True)
            while running.haproxy.poll() is None:
                time.sleep(1)
            print("haproxy exited:\n" + running.haproxy_log.read_text(errors="replace"),
                  file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        print("stopped", flush=True)
        return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.cluster", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="replicas and HAProxy on 127.0.0.1 until Ctrl-C")
    run.add_argument("--replicas", type=int, default=2)
    run.add_argument("--port", type=int, default=8080, help="HAProxy's port (default 8080)")
    config = commands.add_parser("config", help="print an HAProxy config for these replicas")
    config.add_argument("servers", nargs="+", metavar="HOST:PORT")
    config.add_argument("--bind", default=":80", help="HAProxy's address (default :80)")
    config.add_argument("--stats-socket", default="/run/haproxy/admin.sock")
    args = parser.parse_args(argv)
    if args.command == "config":
        sys.stdout.write(render_config(args.servers, bind=args.bind,
                                       stats_socket=args.stats_socket))
        return 0
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    return _run(args)


if __name__ == "__main__":
    sys.exit(main())
