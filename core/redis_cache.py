"""Django's RedisCache, keeping one redis.Redis client per connection pool instead of building one per cache call.

Django's RedisCacheClient.get_client() builds a new redis.Redis object for every cache call, and with redis-py 8 that
constructor fills a table of response callbacks each time: measurable CPU on every cached page (two cache calls) and
every registration (four rate-limit calls). redis.Redis is thread-safe and only wraps the pool, so keeping one per
pool is safe. The measurements, the test and how to go back to Django's backend: docs/performance.md.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(index)
        if client is None:
            client = clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
