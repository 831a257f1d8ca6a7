"""Resolving SECRET_KEY: demanded in production, generated and kept in development."""

import os
import secrets
from pathlib import Path

MIN_SECRET_LENGTH = 32
WEAK_SECRETS = {"secret", "changeme", "change-me", "dev", "development", "koers", "password"}

HOW_TO_MAKE_ONE = (
    'Make one with: python3 -c "import secrets; print(secrets.token_hex(32))" '
    "and set it as SECRET_KEY in the environment or in .env."
)


class WeakSecretKey(RuntimeError):
    """Production was asked to start without a usable SECRET_KEY."""


def is_weak(key):
    """True when `key` is missing, short, or a well-known placeholder."""
    if not key:
        return True
    if key.strip().lower() in WEAK_SECRETS:
        return True
    return len(key) < MIN_SECRET_LENGTH or len(set(key)) < 8


def resolve_secret_key(configured, env_name, instance_path):
    """Return the key to use, or raise WeakSecretKey in production."""
    if env_name == "production":
        if is_weak(configured):
            raise WeakSecretKey(
                "Koers refuses to start in production without a strong SECRET_KEY "
                f"(at least {MIN_SECRET_LENGTH} random characters). {HOW_TO_MAKE_ONE}"
            )
        return configured
    if configured:
        return configured
    return _instance_secret(Path(instance_path))


def _instance_secret(instance_path):
    """Read the development key kept in the instance folder, making it on first use."""
    path = instance_path / "secret_key"
    if path.exists():
        key = path.read_text().strip()
        if key:
            return key
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Write to a temporary file and rename, so two processes starting together
    # never read a half-written key.
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    try:
        os.link(tmp, path)  # fails if another process was first: use theirs
    except FileExistsError:
        key = path.read_text().strip()
    finally:
        tmp.unlink(missing_ok=True)
    return key
