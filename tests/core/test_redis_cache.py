"""The Redis cache backend builds its redis client once per connection pool, not once per cache call."""

from __future__ import annotations

from core.redis_cache import ReusingRedisCache


def test_the_client_is_reused():
    # No command is sent: redis.Redis connects lazily, so this needs no running server.
    cache = ReusingRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.1}})
    first = cache._cache.get_client("a")
    assert cache._cache.get_client("b") is first
    assert cache._cache.get_client("c", write=True) is first  # one server: reads and writes share the pool


def test_two_servers_keep_one_client_each():
    cache = ReusingRedisCache("redis://127.0.0.1:1/0,redis://127.0.0.1:2/0", {})
    writer = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is writer
    assert writer.connection_pool.connection_kwargs["port"] == 1  # the first server takes the writes
