"""
The one place the environment is read.

Everything that differs between the embedded default (``make run``), tests, CI and production is an
environment variable read here; settings modules import ``env`` and nothing else reads ``os.environ``.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

#: Runtime state of the embedded mode: the SQLite database, the generated secret key, media.
VAR_DIR = Path(env.str("ZHIXING_VAR_DIR", default=str(BASE_DIR / "var")))


def secret_from_file(*, name: str, nbytes: int = 50) -> str:
    """
    Return the secret kept in ``VAR_DIR/<name>``, generating it on first use.

    The file is created with mode 0600 and is never committed (``var/`` is ignored by git).
    """
    path = VAR_DIR / name
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(nbytes)
    path.touch(mode=0o600)
    path.write_text(value + "\n")
    return value
