"""`bench/run.py --settings bench.lib.settings_fast_redis`: production settings plus the proposed cache backend."""

from ancilab_portal.settings import *  # noqa: F403
from ancilab_portal.settings import CACHES

if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    CACHES["default"]["BACKEND"] = "bench.lib.fast_redis_cache.ReusingRedisCache"
