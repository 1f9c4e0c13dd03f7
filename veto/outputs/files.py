"""Every file veto writes that can hold personal data: documents, exports, the workbook, backups,
the `--out` of any report.

One way to write them: created mode 0600 whatever the umask, in a temporary file beside the
target that is flushed to disk and then renamed over it, so a reader never sees half a file and a
crash leaves the old one whole. Never through a symbolic link, never over an existing file
unless the user said `--force`, and never onto the store or its -wal/-shm/-journal, not even with
`--force` (that would destroy every record).
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from veto.errors import InputError
from veto.i18n import N_, _

EXISTS = N_("'{shown}' exists: give another file name, or --force to replace it")

# SQLite keeps a store in up to four files; writing any of them breaks the store.
STORE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def store_files(store: Path | None) -> list[Path]:
    """The files that make up the SQLite store at `store` (none for a server database)."""
    if store is None:
        return []
    return [Path(f"{store}{suffix}") for suffix in STORE_SUFFIXES]


def _same(target: Path, protected: Path) -> bool:
    if os.path.realpath(target) == os.path.realpath(protected):
        return True
    try:  # another name for the same file (a hard link, a different spelling of the folder)
        return os.path.samefile(target, protected)
    except OSError:
        return False


def check_target(
    target: str | Path, *, force: bool = False, store: Path | None = None, option: str = "--out"
) -> Path:
    """The absolute path `target` if veto may write it, else `InputError` with one line."""
    try:
        return _checked(target, force=force, store=store, option=option)
    except OSError as exc:  # a name too long, a folder not searchable
        raise InputError(
            _("cannot write '{target}': {reason}").format(target=target, reason=exc.strerror or exc)
        ) from None


def _checked(target: str | Path, *, force: bool, store: Path | None, option: str) -> Path:
    path = Path(target).expanduser().absolute()
    shown = str(target)
    for protected in store_files(store):
        if _same(path, protected):
            raise InputError(
                _(
                    "{option} '{shown}' is the store ({store}): writing there would destroy "
                    "every record; give another file name"
                ).format(option=_(option), shown=shown, store=protected.name)
            )
    if path.is_symlink():
        raise InputError(
            _(
                "{option} '{shown}' is a symbolic link: veto does not write through links; "
                "give the real file name"
            ).format(option=_(option), shown=shown)
        )
    if path.is_dir():
        raise InputError(
            _("{option} '{shown}' is a folder: give a file name").format(option=option, shown=shown)
        )
    if not path.parent.is_dir():
        raise InputError(
            _("cannot write '{shown}': folder '{folder}' does not exist").format(
                shown=shown, folder=path.parent
            )
        )
    if path.exists() and not force:
        raise InputError(_(EXISTS).format(shown=shown))
    return path


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot sync a folder; the rename is still atomic
        pass
    finally:
        os.close(fd)


def _publish(temporary: Path, path: Path, *, force: bool, shown: str) -> None:
    """Give the finished temporary file its name. Without `force` a hard link does that
    atomically and fails if the name was taken meanwhile; with it, rename replaces the old file
    (or a link put there meanwhile: the link itself, never what it points at)."""
    if force:
        os.replace(temporary, path)
        return
    try:
        os.link(temporary, path, follow_symlinks=False)
    except FileExistsError:
        raise InputError(_(EXISTS).format(shown=shown)) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        # A file system without hard links (FAT, some network shares): checked just before.
        if os.path.lexists(path):
            raise InputError(_(EXISTS).format(shown=shown)) from None
        os.replace(temporary, path)
        return
    os.unlink(temporary)


@contextmanager
def private_output(
    target: str | Path, *, force: bool = False, store: Path | None = None, option: str = "--out"
) -> Iterator[tuple[BinaryIO, Path]]:
    """Write the file `target` safely (see the module): yields the open temporary file and its
    path (for a library that writes by name, such as SQLite's backup); on success it is synced
    and renamed to `target`, on any error removed."""
    path = check_target(target, force=force, store=store, option=option)
    try:
        # mkstemp creates the file 0600 with O_EXCL (never through a link), whatever the umask.
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise InputError(
            _("cannot write '{target}': {reason}").format(target=target, reason=exc.strerror or exc)
        ) from None
    temporary = Path(name)
    try:
        with os.fdopen(handle, "w+b") as out:
            yield out, temporary
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o600)  # a library writing by name may have re-created the file
        _publish(temporary, path, force=force, shown=str(target))
        _fsync_folder(path.parent)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise InputError(
            _("cannot write '{target}': {reason}").format(target=target, reason=exc.strerror or exc)
        ) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_private(
    target: str | Path,
    data: bytes | str,
    *,
    force: bool = False,
    store: Path | None = None,
    option: str = "--out",
) -> Path:
    """Write `data` (text as UTF-8) to `target` safely (see the module); returns its path."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with private_output(target, force=force, store=store, option=option) as (out, _):
        out.write(payload)
    return Path(target).expanduser().absolute()
