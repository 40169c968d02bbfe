"""gunicorn settings for the production image (``gunicorn mpp_platform.wsgi`` reads this file).

Workers follow the CPUs this container may really use (its cgroup quota, not the node's core
count), threads absorb slow clients and I/O, and every access-log line names the region's
schema (set by the routing middleware in the WSGI environ). Each value can be overridden from
the environment (``GUNICORN_WORKERS``, ``GUNICORN_THREADS``, ``GUNICORN_TIMEOUT``, ``PORT``).
"""

import math
import os
from pathlib import Path


def cpu_limit() -> float:
    """CPUs available to this process: the cgroup v2 quota when one is set, else the CPUs the
    scheduler lets us run on."""
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            return max(int(quota) / int(period), 0.1)
    except (OSError, ValueError):
        pass
    return float(len(os.sched_getaffinity(0)))


def default_workers(cpus: float) -> int:
    # The usual 2 × CPU + 1, rounded up for fractional quotas, never fewer than 2 (one worker
    # stuck in a slow request must not take the pod out) and capped to keep memory bounded.
    return min(max(2 * math.ceil(cpus) + 1, 2), 12)


bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("GUNICORN_WORKERS") or default_workers(cpu_limit()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A request that runs longer than this is killed (the slowest legitimate ones are uploads of
# a few MB and CSV imports); the ingress's own timeouts are set a little higher.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30  # below the pod's terminationGracePeriodSeconds
keepalive = 5  # above nothing, below the ingress's upstream keep-alive timeout
max_requests = 2000  # recycle workers now and then: bounded memory over weeks
max_requests_jitter = 200
# Lower bound on the size of headers/body lines; bodies themselves are limited by Django.
limit_request_field_size = 16380
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")  # behind the ingress only
# Worker heartbeat files in memory: the root filesystem is read-only and a disk-backed /tmp can
# stall heartbeats (gunicorn's own advice for containers).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# %({mpp.schema}e)s: the region's schema ("public" on the national site), from the environ.
access_log_format = '%(h)s [%({mpp.schema}e)s] "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'
