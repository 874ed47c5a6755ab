"""Where the database is: `--db` and SUPPORTSCOPE_DB (a file path or a SQLAlchemy URL) made into
a URL, and URLs made safe to show and to save.

A password never appears in anything SupportScope prints, logs or remembers: URLs are shown with
the password masked and saved without it. People give PostgreSQL passwords to libpq instead, in
`~/.pgpass` or the PGPASSWORD environment variable, which it reads by itself.

SQLAlchemy is imported only where a URL is parsed: the window's settings read file paths
before anything else is loaded, and its first paint must not wait for SQLAlchemy (issue 12).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

APP_NAME = "SupportScope"
POSTGRES_EXTRA = 'pip install "supportscope[postgres]"'


class DatabaseError(RuntimeError):
    """The database cannot be opened or upgraded; the message says which and why."""


def is_url(target: str | Path) -> bool:
    return "://" in str(target)


def default_database() -> str:
    """The database used when none is given: SUPPORTSCOPE_DB (a path or a URL), else the
    portfolio file in the user's data folder."""
    override = os.environ.get("SUPPORTSCOPE_DB", "").strip()
    if override:
        return override
    from platformdirs import user_data_path

    return str(user_data_path(APP_NAME, appauthor=False) / "supportscope.db")


def default_database_path() -> Path:
    """The default database as a file path (kept for callers that want a folder to start in)."""
    return Path(default_database())


def _parse(text: str) -> URL:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    example = "e.g. postgresql+psycopg://USER@HOST/DBNAME"
    try:
        url = make_url(text)
    except (ArgumentError, ValueError):  # its message repeats the text, password and all
        raise DatabaseError(f"{shown_url(text)} is not a valid database URL ({example})") from None
    if url.drivername == "postgresql":  # libpq-style URLs get the driver the extra installs
        url = url.set(drivername="postgresql+psycopg")
    try:
        url.get_dialect()
    except (ArgumentError, NoSuchModuleError) as exc:
        message = f"{shown_url(url)} is not a valid database URL ({example}): {exc}"
        raise DatabaseError(scrub(message, url)) from None
    return url


def database_url(target: str | Path | None) -> str:
    """Turn `--db` (a file path or any SQLAlchemy URL, or None for the default) into a URL.

    Nothing is created here: `open_database` decides whether a missing file may be made."""
    if target is None or str(target).strip() == "":
        target = default_database()
    text = str(target).strip()
    if is_url(text):
        return _parse(text).render_as_string(hide_password=False)
    path = Path(text).expanduser()
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder: give a database file name, e.g. {path}/ss.db")
    return f"sqlite:///{path.resolve()}"


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL; None for server databases and in-memory SQLite."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def shown_url(url: str | URL) -> str:
    """The URL as people may see it in a message or a log: the password masked as ***."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return "the database URL"  # unparsable text may hold a secret anywhere: show none of it


def saved_location(location: str) -> str:
    """A path or URL as it may be remembered (recent files, settings): without the password,
    so that reopening it asks libpq (~/.pgpass, PGPASSWORD) for one."""
    if not is_url(location):
        return location
    from sqlalchemy.engine import URL, make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(location)
    except (ArgumentError, ValueError):
        return ""
    if not url.password:
        return location
    # URL.set(password=None) would keep the password: None there means "unchanged"
    bare = URL.create(url.drivername, url.username, None, url.host, url.port, url.database)
    return bare.update_query_dict(dict(url.query)).render_as_string(hide_password=False)


def scrub(text: str, url: str | URL | None) -> str:
    """`text` (an error message) with the URL's password, if any, replaced by ***."""
    if url is None:
        return text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        password = make_url(url).password
    except (ArgumentError, ValueError):
        return text
    return text.replace(str(password), "***") if password else text
