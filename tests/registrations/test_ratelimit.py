"""The registration form's rate limiter (registrations/ratelimit.py): exact counting and its cache calls."""

from __future__ import annotations

import uuid

from django.core.cache import cache

from registrations import ratelimit


def test_it_counts_every_request_of_the_window_and_refuses_past_the_limit():
    key = uuid.uuid4().hex  # the cache may be a shared Redis: a fresh key per run
    assert [ratelimit.hit("test", key, "3/h") for _ in range(5)] == [False, False, False, True, True]
    assert ratelimit.hit("test", uuid.uuid4().hex, "3/h") is False  # another key has its own count


def test_the_first_request_of_a_window_costs_one_cache_call(monkeypatch):
    calls = []
    for name in ("add", "incr"):
        original = getattr(cache, name)

        def counted(*args, _name=name, _original=original, **kwargs):
            calls.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(cache, name, counted)
    key = uuid.uuid4().hex
    ratelimit.hit("test", key, "3/h")
    assert calls == ["add"]
    ratelimit.hit("test", key, "3/h")
    assert calls == ["add", "add", "incr"]


def test_a_disabled_limit_never_touches_the_cache(monkeypatch):
    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: 1 / 0)
    assert ratelimit.hit("test", "anyone", "off") is False
