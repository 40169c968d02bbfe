# Production image: the same locked dependencies as `make run`, served by gunicorn.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_PYTHON_DOWNLOADS=never PATH=/opt/venv/bin:$PATH MPP_ENV=production
WORKDIR /app
RUN pip install --no-cache-dir uv==0.13.9
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev
COPY . .
RUN DJANGO_SECRET_KEY=build DATABASE_URL=postgres://build/build REDIS_URL=redis://build \
    MPP_NIK_ENCRYPTION_KEYS=build MPP_NIK_INDEX_KEYS=build \
    python manage.py collectstatic --noinput
USER 1000
EXPOSE 8000
CMD ["gunicorn", "mpp_platform.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
