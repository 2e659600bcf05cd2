# One image for web, worker and beat. Node is only needed to install Bootstrap Italia, in its own stage.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# Pango for WeasyPrint, gettext to compile the translations.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY . .
COPY --from=assets /app/node_modules/bootstrap-italia/dist node_modules/bootstrap-italia/dist
RUN SECRET_KEY=build python manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0 \
 && useradd --system --uid 1000 ancilab && mkdir -p /app/var /app/staticfiles && chown -R ancilab /app/var /app/staticfiles
USER ancilab
EXPOSE 8000
CMD ["gunicorn", "ancilab_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
