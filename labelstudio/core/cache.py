"""The cache backend when REDIS_URL is set: Django's RedisCache that degrades instead of failing.

The cache only carries what can be lost — live job progress, the cancel flag's fast path (the job
row has it too), worker liveness for /health — so while Redis is down a read answers "nothing
cached" and a write is dropped (logged), and no request or job fails because of it.
"""

from __future__ import annotations

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)
DOWN = (RedisConnectionError, RedisTimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    def _quiet(self, what: str, default, call, *args, **kwargs):
        try:
            return call(*args, **kwargs)
        except DOWN as exc:
            log.warning("cache %s skipped: Redis is unavailable (%s)", what, exc)
            return default

    def get(self, key, default=None, version=None):
        return self._quiet("get", default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._quiet("get_many", {}, super().get_many, keys, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._quiet("set", None, super().set, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._quiet("add", False, super().add, key, value, timeout, version)

    def delete(self, key, version=None):
        return self._quiet("delete", False, super().delete, key, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._quiet("touch", False, super().touch, key, timeout, version)
