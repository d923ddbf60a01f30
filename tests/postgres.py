"""A throwaway PostgreSQL cluster for the session: Debian's `postgresql` package (`.ci/run` installs
it), `initdb` and `pg_ctl` from /usr/lib/postgresql/<version>/bin, run as the `postgres` user when
the tests run as root (PostgreSQL refuses root), listening on a random port of 127.0.0.1 with
password authentication. Where it cannot start, a test fails in CI (CI=true) and skips elsewhere."""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

PASSWORD = "pw-Zq8s!x"  # what the tests look for in every output: it must never appear


@dataclass
class PgServer:
    port: int
    password: str = PASSWORD
    user: str = "postgres"

    def url(self, database: str = "postgres") -> str:
        from urllib.parse import quote

        return f"postgresql://{self.user}:{quote(self.password, safe='')}@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres"):
        import psycopg2

        con = psycopg2.connect(host="127.0.0.1", port=self.port, user=self.user, password=self.password,
                               dbname=database)
        con.autocommit = True
        return con

    def create_database(self, name: str) -> str:
        con = self.connect()
        try:
            with con.cursor() as cur:
                cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
                cur.execute(f'CREATE DATABASE "{name}"')
        finally:
            con.close()
        return self.url(name)


def _bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise Unavailable("no /usr/lib/postgresql/<version>/bin/initdb: apt-get install -y postgresql")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _unavailable(why: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but PostgreSQL cannot start: {why}")
    pytest.skip(f"PostgreSQL cannot start here: {why}")


class Unavailable(RuntimeError):
    """PostgreSQL cannot start here (not installed, no postgres user, initdb or pg_ctl failed)."""


@contextmanager
def cluster():
    """Start a throwaway cluster, yield its PgServer, stop and remove it."""
    bindir = _bin()
    root = Path(tempfile.mkdtemp(prefix="versus-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        import pwd

        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(root)
            raise Unavailable("running as root and there is no postgres user") from None
        os.chown(root, pw.pw_uid, pw.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    pwfile = root / "pwfile"
    pwfile.write_text(PASSWORD + "\n")
    if as_user:
        os.chown(pwfile, pw.pw_uid, pw.pw_gid)
    data, port = root / "data", _free_port()

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*as_user, *args], capture_output=True, text=True, timeout=120, cwd=root)

    init = run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=scram-sha-256",
               f"--pwfile={pwfile}", "-E", "UTF8", "--locale=C.UTF-8")
    if init.returncode:
        shutil.rmtree(root, ignore_errors=True)
        raise Unavailable(f"initdb: {init.stderr[-500:]}")
    start = run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w", "-o",
                f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
    if start.returncode:
        log = (root / "log").read_text() if (root / "log").exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        raise Unavailable(f"pg_ctl start: {start.stderr[-300:]} {log[-500:]}")
    try:
        yield PgServer(port)
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server():
    """A running cluster for the whole session, stopped and removed at its end."""
    try:
        with cluster() as server:
            yield server
    except Unavailable as exc:
        _unavailable(str(exc))
