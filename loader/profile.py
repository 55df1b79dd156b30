"""The target's connection settings, read from the project's ``profiles.yml``, so
the loader and dbt always talk to the same database."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import jinja2
import yaml

from .files import LoadError

PROFILE = "cartify"
TARGETS = ("duckdb", "postgres", "spark")


def _env_var(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise LoadError(f"profiles.yml needs the environment variable {name}")
    return value


def profiles_dir() -> Path:
    """DBT_PROFILES_DIR if set, else the project root (this package's parent)."""
    configured = os.environ.get("DBT_PROFILES_DIR")
    return Path(configured) if configured else Path(__file__).resolve().parents[1]


def target_settings(target: str, directory: Path | None = None) -> dict[str, Any]:
    """The output ``target`` of profile ``cartify``, env_var() calls rendered."""
    path = (directory or profiles_dir()) / "profiles.yml"
    try:
        text = path.read_text()
    except OSError as exc:
        raise LoadError(f"cannot read {path}: {exc.strerror}") from None
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined)
    rendered = environment.from_string(text).render(env_var=_env_var)
    outputs = (yaml.safe_load(rendered) or {}).get(PROFILE, {}).get("outputs", {})
    if target not in outputs:
        raise LoadError(f"{path}: profile {PROFILE} has no target {target!r}")
    settings: dict[str, Any] = outputs[target]
    return settings
