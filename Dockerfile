# Production image: the production dependency group only (no embedded PostgreSQL/Redis, no test
# tools), installed from uv.lock; static files collected, hashed and compressed at build time;
# runs as uid 1000 with a read-only root filesystem (the chart mounts /tmp and the file volume).
FROM python:3.11-slim AS build
ENV UV_PROJECT_ENVIRONMENT=/opt/venv UV_PYTHON_DOWNLOADS=never UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /app
COPY pyproject.toml uv.lock ./
# --frozen: exactly the lock file; --no-default-groups: neither "local" nor "dev".
RUN uv sync --frozen --no-default-groups --no-install-project
COPY . .
RUN MPP_ENV=production DJANGO_SECRET_KEY=build DATABASE_URL=postgres://build/build \
    REDIS_URL=redis://build MPP_STORAGE=filesystem MPP_PRIVATE_ROOT=/tmp/build \
    MPP_NIK_ENCRYPTION_KEYS=build MPP_NIK_INDEX_KEYS=build \
    /opt/venv/bin/python manage.py collectstatic --noinput

FROM python:3.11-slim
# pg_dump: the offboarding archive falls back to it for schemas no template snapshot matches.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --uid 1000 --user-group --no-create-home --home-dir /tmp mpp
# HOME in /tmp: the only writable place besides the file volume when the root is read-only.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/opt/venv/bin:$PATH MPP_ENV=production \
    HOME=/tmp
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app
USER 1000:1000
EXPOSE 8000
# Workers, threads, timeouts and the access log (with the region's schema): gunicorn.conf.py.
CMD ["gunicorn", "--config", "gunicorn.conf.py", "mpp_platform.wsgi"]
