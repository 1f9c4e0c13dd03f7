"""Every test gets its own private store: VETO_DB points into tmp_path, so no test can touch a
real user's data. Tests that take the `backend` fixture run on SQLite and, when PGHOST is set
(pg_virtualenv), on a real PostgreSQL server too."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest
import typer.main
from click.testing import CliRunner

from veto.cli import app
from veto.i18n import language
from veto.store import database
from veto.store.cipher import create_encrypted, forget_keys
from veto.store.database import dispose_all

# The processes the tests start (veto commands, the benchmarks, `python -c`) keep the bytecode
# they compile (in __pycache__, which git ignores): with PYTHONDONTWRITEBYTECODE set, as on
# the project's machines, each of them compiled veto's modules from source again.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


def _ram_disk(path: str = "/dev/shm", room: int = 4 << 30) -> str | None:
    """A RAM disk with room for a few runs' temporary folders (pytest keeps the last three), or
    None. Every store commits with synchronous=FULL (veto/store/sqlite.py): on a disk each of
    the suite's many thousand commits waits for its fsync; on a RAM disk an fsync costs nothing.
    veto is the same either way; only where the tests keep their files changes."""
    try:
        stat = os.statvfs(path)
    except OSError:
        return None
    if not os.access(path, os.W_OK) or stat.f_bavail * stat.f_frsize < room:
        return None
    return path


# pytest's own setting for where tmp_path folders go (pytest-of-USER/pytest-N under it); one
# the developer set, or --basetemp, comes first. Read by the first process (xdist gives each
# worker a folder under it).
if "PYTEST_DEBUG_TEMPROOT" not in os.environ and (_ram := _ram_disk()):
    os.environ["PYTEST_DEBUG_TEMPROOT"] = _ram

_SLOW = {
    line.strip()
    for line in (Path(__file__).parent / "slow_tests.txt").read_text("utf-8").splitlines()
    if line.strip() and not line.startswith("#")
}


# Tests that make and drop the same login roles (a PostgreSQL server's roles are shared by all
# its databases): under pytest-xdist they run one after another in one worker
# (`--dist loadgroup`, in pyproject.toml's addopts).
_ONE_WORKER = {"tests/test_roles.py": "roles", "tests/test_reporter.py": "roles"}


def pytest_collection_finish(session):
    """Freeze what collection loaded (veto, SQLAlchemy, SQLModel, the test modules): it lives
    for the whole run, and each of the garbage collections during the tests walked all of it
    again. The tests' own objects are collected as before. The quick suite in one process,
    alternating: 14,9/13,9 -> 12,2/11,8 s user CPU (load ~3)."""
    import gc

    gc.collect()
    gc.freeze()


def pytest_sessionfinish(session):
    """After the last test, one full garbage collection and then freeze what is left: pytest's
    search for exceptions raised in finalizers (at unconfigure) collects five times over,
    and each time walked everything the tests loaded (WeasyPrint, matplotlib, Hypothesis), ~0,8 s
    a process at the end of a run. This collection finds the same garbage; what the finalizers
    it runs turn into garbage is left for the process's exit."""
    import gc

    gc.collect()
    gc.freeze()


@pytest.hookimpl(tryfirst=True)  # before xdist's, which reads the xdist_group marks
def pytest_collection_modifyitems(items):
    """Mark `slow` the tests in tests/slow_tests.txt and every PostgreSQL run, so that
    `pytest -m "not slow"` is the developer's quick loop."""
    for item in items:
        group = _ONE_WORKER.get(item.nodeid.split("::")[0])
        if group:
            item.add_marker(pytest.mark.xdist_group(group))
        callspec = getattr(item, "callspec", None)
        on_postgres = callspec is not None and callspec.params.get("backend") == "postgresql"
        if on_postgres or item.nodeid.split("[")[0] in _SLOW:
            item.add_marker(pytest.mark.slow)
        if encrypted_run() and item.get_closest_marker("plain_file") and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="reads the SQLite file's own bytes or pages"))
    # The slow tests first (each file's in their order), the quick ones after: pytest-xdist
    # hands tests to whichever process is free, so the last seconds of a run are short tests
    # spread over both processes, not one process finishing a 5 s benchmark while the other
    # waits.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


# VETO_TEST_ENCRYPTED=1 (or `pytest --encrypted`): every test's store is an encrypted SQLCipher
# file from the start, so the whole suite runs through the encrypted paths (CI runs both).
TEST_KEY = "testiavain-ei-oikea"


def pytest_addoption(parser):
    parser.addoption(
        "--encrypted", action="store_true", help="give every test an encrypted SQLite store"
    )


def pytest_configure(config):
    if config.getoption("--encrypted"):
        os.environ["VETO_TEST_ENCRYPTED"] = "1"
    if os.environ.get("PGHOST"):
        _own_database()


def encrypted_run() -> bool:
    return os.environ.get("VETO_TEST_ENCRYPTED", "") not in ("", "0")


_TEMPLATES: dict[bool, bytes] = {}


def _template(encrypted: bool) -> bytes:
    """The bytes of a new store at the current schema (encrypted with TEST_KEY, or plain), made
    once per session by the real path (create, then migrate with Alembic). Every new test store
    starts as a copy: the migrations cost about 90 ms a store, most of a short test."""
    if encrypted not in _TEMPLATES:
        import tempfile

        from veto.store.location import sqlite_location

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "template.db"
            if encrypted:
                create_encrypted(path, TEST_KEY)
            database.engine_for(sqlite_location(path, "template"))
            database.dispose_all()  # the last close checkpoints the WAL into the file
            _TEMPLATES[encrypted] = path.read_bytes()
        forget_keys()
    return _TEMPLATES[encrypted]


def _start_from_template(path: Path, *, encrypted: bool) -> None:
    with path.open("r+b") as file:
        file.write(_template(encrypted))


@pytest.fixture(autouse=True)
def private_store(tmp_path, monkeypatch):
    path = tmp_path / "veto.db"
    monkeypatch.setenv("VETO_DB", str(path))
    monkeypatch.delenv("VETO_DATABASE_URL", raising=False)
    monkeypatch.setenv("VETO_USER", "tester")
    # English, whatever the locale of the machine: a test that wants Finnish sets VETO_LANG=fi.
    monkeypatch.setenv("VETO_LANG", "en")
    monkeypatch.delenv("VETO_DEBUG", raising=False)
    monkeypatch.delenv("VETO_TEMPLATES", raising=False)
    monkeypatch.delenv("COLUMNS", raising=False)  # reports fit COLUMNS when it is set
    monkeypatch.delenv("VETO_KEY", raising=False)
    # Never the user's own keyring: a keyring that has no keys.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    forget_keys()
    encrypted = encrypted_run()
    if encrypted:
        monkeypatch.setenv("VETO_KEY", TEST_KEY)
    # A new store is created where veto creates it (on first use), so tests that check when the
    # store comes into being still hold; its bytes are the template's. In an encrypted run the
    # test's own store is encrypted from the start (with TEST_KEY).
    _template(False)  # made before the patches below, by the real path
    if encrypted:
        _template(True)
    create_private_file = database.create_private_file
    sqlite_engine = database._sqlite_engine

    def create_store(new: Path) -> None:
        create_private_file(new)
        if encrypted and new == path and new.stat().st_size == 0:
            _start_from_template(new, encrypted=True)

    def start_engine(location, *, encrypt: bool):
        # A plain new file (not `veto init --encrypt`, whose key is the test's own) starts as
        # the plain template, which the migration then finds current.
        new = location.path
        if not encrypt and new.stat().st_size == 0:
            _start_from_template(new, encrypted=False)
        return sqlite_engine(location, encrypt=encrypt)

    monkeypatch.setattr(database, "create_private_file", create_store)
    monkeypatch.setattr(database, "_sqlite_engine", start_engine)
    yield path
    dispose_all()
    forget_keys()


def _create_with(path: Path, data: bytes) -> None:
    """A new private file (0600, as veto creates its store) holding `data`."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(data)


def new_store(path: Path | str | None = None) -> Path:
    """Create the test's store (or `path`) as a new veto process would on first use: a private
    plain SQLite file at the current schema (the template's bytes). For a set-up before a process
    a test starts, which would otherwise spend ~0,9 s CPU migrating a new store from nothing
    with Alembic before doing what the test is about."""
    path = Path(path if path is not None else os.environ["VETO_DB"])
    _create_with(path, _template(False))
    return path


T = TypeVar("T")
_BUILT: dict[tuple, tuple[dict[str, bytes], object]] = {}


def built_once(name: str, build: Callable[[], T]) -> T:
    """Fill the test's own new store (VETO_DB) with what `build()` puts there and return what it
    returned. The first test in this process (each xdist worker) runs `build`; each later one
    gets its own copy of the store's files as `build` left them (the database file and its
    write-ahead log, the store still open: as the test would have found them) and the same
    result. `build` runs every time on PostgreSQL, or when the store exists already."""
    store = Path(os.environ.get("VETO_DB", ""))
    if os.environ.get("VETO_DATABASE_URL") or not store.name or store.exists():
        return build()
    key = (name, encrypted_run(), os.environ.get("VETO_LANG"), os.environ.get("VETO_USER"))
    if key in _BUILT:
        files, result = _BUILT[key]
        for suffix, data in files.items():
            _create_with(Path(f"{store}{suffix}"), data)
        return result  # type: ignore[return-value]
    result = build()
    # No -shm: SQLite rebuilds the WAL index from the log when the copy is first opened.
    files = {
        suffix: Path(f"{store}{suffix}").read_bytes()
        for suffix in ("", "-wal")
        if Path(f"{store}{suffix}").exists()
    }
    _BUILT[key] = (files, result)
    return result


def exported_once(name: str, fill: Callable[[], object], out: Path) -> Path:
    """The test's own store as `fill()` leaves it, and `out`, that store's workbook (`veto export
    xlsx`): both made once per test process (`built_once`); each later test gets its own copies,
    the workbook private (0600) as veto writes it."""

    def build() -> bytes:
        fill()
        result = invoke("export", "xlsx", "--out", str(out))
        assert result.exit_code == 0, result.stderr
        return out.read_bytes()

    data = built_once(name, build)
    if not out.exists():
        _create_with(out, data)
    return out


_DEMO: list[bytes] = []


@pytest.fixture
def demo_store(tmp_path) -> Path:
    """tmp_path / "demo.db": the test's own copy of the demo store (`veto demo`'s), built once
    per test process (~0,6 s)."""
    if not _DEMO:
        from veto.demo import build_demo

        built = tmp_path / "demo-build" / "demo.db"
        build_demo(built)  # closes the store: its write-ahead log is folded into the file
        _DEMO.append(built.read_bytes())
    path = tmp_path / "demo.db"
    _create_with(path, _DEMO[0])
    return path


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def out(self) -> str:
        return self.stdout.strip()


_COMMANDS: dict = {}


def _command():
    """The Click command tree, built once per language (its help is translated as it is built):
    Typer rebuilds it on every `CliRunner.invoke(app)`, which cost about 40 of the 47 ms each
    call took."""
    lang = language()
    if lang not in _COMMANDS:
        _COMMANDS[lang] = typer.main.get_command(app)
    return _COMMANDS[lang]


def invoke(*args: str, input: str | None = None) -> Run:
    """Run `veto ARGS` in-process, as a user would from the shell."""
    result = CliRunner().invoke(_command(), [str(a) for a in args], input=input, prog_name="veto")
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def veto():
    """`veto("client", "add", ...)` -> Run, asserting nothing; see `ok` for the happy path."""
    return invoke


@pytest.fixture
def ok():
    """`ok("client", "add", ...)` -> stripped stdout, failing the test on a non-zero exit."""

    def run(*args: str, input: str | None = None) -> str:
        result = invoke(*args, input=input)
        assert result.exit_code == 0, f"veto {' '.join(map(str, args))}: {result.stderr}"
        return result.out

    return run


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("PGHOST") else [])

# Under PostgreSQL each test process (each pytest-xdist worker, or the one process) has its own
# database, made from the database pg_virtualenv gives (PGDATABASE, kept for CREATE and DROP
# DATABASE): PGDATABASE names it for the whole session, so `postgresql+psycopg://` and every
# test that connects by the environment stay on it. A PostgreSQL test gets a fresh copy of a
# template database that the migrations brought to head once per process (`CREATE DATABASE …
# TEMPLATE`), instead of dropping the schema and running every Alembic revision again.
# The tests of these modules build old schemas with Alembic themselves: they start from an empty
# schema, as every PostgreSQL test did before the template.
_EMPTY_ON_POSTGRES = {"tests/test_schema_repair.py"}
_SERVER: dict[str, str] = {}


def _worker_database() -> str:
    return f"veto_test_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


def _admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(dbname=_SERVER["maintenance"], autocommit=True) as conn:
        conn.execute(statement)


def _own_database() -> None:
    """Point PGDATABASE at this process's own, new database (once per session)."""
    _SERVER["maintenance"] = os.environ.get("PGDATABASE") or "postgres"
    name = _worker_database()
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{name}"')
    os.environ["PGDATABASE"] = name


def _fresh_postgres() -> None:
    """The process's database anew, at the current schema, as a copy of the template."""
    name = _worker_database()
    template = f"{name}_template"
    if "template" not in _SERVER:
        from veto.store.location import StoreLocation

        _admin(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
        _admin(f'CREATE DATABASE "{template}"')
        url = f"postgresql+psycopg:///{template}"
        database.engine_for(StoreLocation(url=url, path=None, source="template"))
        dispose_all()
        _SERVER["template"] = template
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


@pytest.fixture(params=BACKENDS)
def backend(request, monkeypatch):
    """Run the test on SQLite and, when a server is there, on PostgreSQL."""
    if request.param == "postgresql":
        url = "postgresql+psycopg://"
        dispose_all()
        if request.node.nodeid.split("::")[0] in _EMPTY_ON_POSTGRES:
            _reset_postgres(url)
        else:
            _fresh_postgres()
        monkeypatch.delenv("VETO_DB", raising=False)
        monkeypatch.setenv("VETO_DATABASE_URL", url)
    return request.param


def imported_by(args: list[str], db, *, full: bool = False) -> set[str]:
    """The top-level packages a real `veto ARGS` process on store `db` imported (with `full`,
    every module's whole name)."""
    import subprocess
    import sys

    code = (
        f"FULL = {full}\n"
        "import sys; from veto.cli import main\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
        "print(' '.join(sorted({m if FULL else m.split('.')[0] for m in sys.modules})))"
    )
    env = {**os.environ, "VETO_DB": str(db)}
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True
    )
    return set(out.stdout.splitlines()[-1].split())


# The tables SQLAlchemy's inspector lists on SQLite (`get_table_names`): SQLite's own left out.
_SQLITE_TABLES = (
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite~_%' ESCAPE '~'"
)


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table of the current test store, to prove a refusal changed nothing.
    On SQLite (plain or encrypted) read on the driver's own connection: the same tables and
    rows as through SQLAlchemy's inspector and `text()`, without its statement and result
    machinery around each table (1 -> 0,15 ms; the property tests take one before and after
    every command)."""
    from veto.commands.common import Invocation
    from veto.store.database import engine_for

    engine = engine_for(Invocation().location)
    if engine.dialect.name == "sqlite":
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            tables = sorted(name for (name,) in cursor.execute(_SQLITE_TABLES).fetchall())
            return {
                t: sorted(cursor.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
                for t in tables
            }
        finally:
            connection.close()
    from sqlalchemy import inspect, text

    with engine.connect() as conn:
        tables = sorted(inspect(conn).get_table_names())
        return {
            t: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{t}"'))), key=repr)
            for t in tables
        }


def refuse(*args: str, message: str | None = None, input: str | None = None) -> str:
    """Run `veto ARGS`: exit 2, exactly one line on stderr, nothing on stdout, store unchanged.
    Returns the error line."""
    before = snapshot()
    result = invoke(*args, input=input)
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert result.stdout == ""
    if message is not None:
        assert lines[0] == f"Error: {message}"
    assert snapshot() == before
    return lines[0]


@pytest.fixture
def refused():
    """`refused(*args, message=...)`: see `refuse`."""
    return refuse
