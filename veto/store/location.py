"""One place decides where the data lives: --db, VETO_DB, VETO_DATABASE_URL, or the default."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


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


def sqlite_location(path: str | Path, source: str) -> StoreLocation:
    p = Path(path).expanduser().absolute()
    return StoreLocation(url=f"sqlite:///{p}", path=p, source=source)


def resolve(db_option: str | None = None) -> StoreLocation:
    """The store named by the option, else the environment, else the per-user default."""
    if db_option:
        return sqlite_location(db_option, "--db")
    if env := os.environ.get("VETO_DB"):
        return sqlite_location(env, "VETO_DB")
    if url := os.environ.get("VETO_DATABASE_URL"):
        if url.startswith("sqlite:///"):
            return sqlite_location(url.removeprefix("sqlite:///"), "VETO_DATABASE_URL")
        return StoreLocation(url=url, path=None, source="VETO_DATABASE_URL")
    return sqlite_location(default_path(), "default")
