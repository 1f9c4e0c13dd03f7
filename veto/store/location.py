"""One place decides where the data lives: --db, VETO_DB, VETO_DATABASE_URL, or the default."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote


@dataclass(frozen=True)
class StoreLocation:
    url: str
    path: Path | None  # the SQLite file, when the store is one
    source: str  # what chose it: --db, VETO_DB, VETO_DATABASE_URL or default

    @property
    def shown(self) -> str:
        """What `veto db path` prints: the file, or the URL without its password."""
        if self.path is not None:
            return str(self.path)
        from sqlalchemy.engine import make_url

        return make_url(self.url).render_as_string(hide_password=True)


def default_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("veto", appauthor=False)) / "veto.db"


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of the SQLite file `path`, taken literally: a `?`, `#` or `%41` in a
    file name is part of the name (quoted as SQLAlchemy's `URL.create` does), never a query."""
    return "sqlite:///" + quote(str(path), safe="/")


def sqlite_location(path: str | Path, source: str) -> StoreLocation:
    """The store in the file `path` (`--db`, VETO_DB: a file path, never a URI)."""
    from veto.errors import InputError
    from veto.i18n import _

    p = Path(path).expanduser().absolute()
    try:
        str(p).encode("utf-8")
    except UnicodeEncodeError:  # bytes that are no UTF-8 arrive as surrogates
        raise InputError(
            _(
                "the store path of {source} is not valid UTF-8 text: give a file name in UTF-8"
            ).format(source=source)
        ) from None
    return StoreLocation(url=sqlite_url(p), path=p, source=source)


def sqlite_uri(path: Path, **query: str) -> str:
    """A `file:` URI for `sqlite3.connect(..., uri=True)` that names exactly `path`."""
    uri = Path(path).absolute().as_uri()
    return uri + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def resolve(db_option: str | None = None) -> StoreLocation:
    """The store named by the option, else the environment, else the per-user default."""
    if db_option:
        return sqlite_location(db_option, "--db")
    if env := os.environ.get("VETO_DB"):
        return sqlite_location(env, "VETO_DB")
    if url := os.environ.get("VETO_DATABASE_URL"):
        if url.startswith("sqlite:///"):  # a URL: %XX in it is decoded, ?… is its query
            from sqlalchemy.engine import make_url

            return sqlite_location(make_url(url).database or "", "VETO_DATABASE_URL")
        return StoreLocation(url=url, path=None, source="VETO_DATABASE_URL")
    return sqlite_location(default_path(), "default")
