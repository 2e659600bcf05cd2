"""requirements.lock, what the image and CI install: every runtime requirement at its pinned version, every package
those need (extras included: celery[redis] needs kombu's redis transport, issue 13), each with its hashes."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def pinned_requirements() -> list[Requirement]:
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    return [Requirement(line) for line in lines if line.strip() and not line.startswith("#")]


def lock() -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes)"""
    text = (ROOT / "requirements.lock").read_text()
    entries = {}
    for block in re.split(r"\n(?=[a-z0-9])", text):
        match = re.match(r"([A-Za-z0-9._-]+)==([^\s\\]+)", block)
        if match:
            entries[canonicalize_name(match[1])] = (match[2], re.findall(r"--hash=sha256:([0-9a-f]{64})", block))
    return entries


def test_every_pinned_requirement_is_locked_at_its_version():
    locked = lock()
    for requirement in pinned_requirements():
        assert locked[canonicalize_name(requirement.name)][0] == str(requirement.specifier).removeprefix("==")


def test_celery_declares_its_redis_transport_and_the_lock_carries_it():
    (celery,) = [r for r in pinned_requirements() if r.name == "celery"]
    assert celery.extras == {"redis"}
    assert {"kombu", "redis", "packaging"} <= lock().keys()


def test_the_lock_is_closed_under_dependencies_and_hashed():
    """Each locked package's own requirements (for the extras asked of it) are locked too: pip --require-hashes
    would refuse to build the image otherwise, and the worker would crash-loop on a missing module."""
    locked = lock()
    extras: dict[str, set[str]] = {}
    for requirement in pinned_requirements():
        extras.setdefault(canonicalize_name(requirement.name), set()).update(requirement.extras)
    pending, seen, missing = list(extras), set(), []
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            # Locked for another 3.11 than this one (async-timeout: Python < 3.11.3): `make install` installs it,
            # a venv made before the lock may not have it. It requires nothing.
            requires = []
        for line in requires:
            needed = Requirement(line)
            if needed.marker and not any(
                needed.marker.evaluate({"extra": extra}) for extra in (extras.get(name) or {""})
            ):
                continue
            dependency = canonicalize_name(needed.name)
            if dependency not in locked:
                missing.append(f"{name} -> {needed}")
                continue
            extras.setdefault(dependency, set()).update(needed.extras)
            pending.append(dependency)
    assert missing == []
    assert seen == set(locked)  # nothing locked that nothing needs
    assert [name for name, (_, hashes) in locked.items() if not hashes] == []
