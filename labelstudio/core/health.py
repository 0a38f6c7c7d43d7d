"""What /health checks: the database, the broker and whether any worker is alive.

Workers announce themselves in the cache every PULSE seconds (started on Celery's
``worker_ready``, labelstudio/celery.py); /health reads that key, so it costs no broadcast.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection

PULSE = 10
PULSE_KEY = "workers:alive"


def worker_pulse_start(hostname: str) -> None:
    def run():
        while True:
            try:
                cache.set(PULSE_KEY, {"worker": hostname, "at": time.time()}, PULSE * 3)
            except Exception:  # noqa: BLE001,S110 - Redis down: /health shows the worker as unknown
                pass
            time.sleep(PULSE)

    threading.Thread(target=run, name="worker-pulse", daemon=True).start()


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return f"DOWN: {type(exc).__name__}"
    return "UP"


def check_broker() -> str:
    if not settings.REDIS_URL:
        return "UP"  # the filesystem transport in the data dir
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return f"DOWN: {type(exc).__name__}"
    return "UP"


def check_worker() -> str:
    try:
        pulse = cache.get(PULSE_KEY)
    except Exception:  # noqa: BLE001 - the cache is Redis: down with the broker
        return "UNKNOWN"
    return "UP" if pulse and time.time() - pulse["at"] < PULSE * 3 else "DOWN"


def health_report() -> tuple[dict, int]:
    """({status, database, broker, worker}, HTTP status): 503 when the database or the broker is
    down. ``status`` stays "UP" when only the worker is missing (the site works, jobs wait): Label
    Studio's clients read ``status == "UP"`` as "the server answers"; ``worker`` and ``warnings``
    say that jobs are waiting."""
    report = {"database": check_database(), "broker": check_broker()}
    report["worker"] = check_worker() if report["broker"] == "UP" else "UNKNOWN"
    if report["database"] != "UP" or report["broker"] != "UP":
        return {"status": "DOWN", **report}, 503
    if report["worker"] != "UP":
        report["warnings"] = ["no Celery worker seen in the last 30 s: jobs wait until one runs"]
    return {"status": "UP", **report}, 200
