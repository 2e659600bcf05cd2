# One image for web, worker, beat and the migrate job (deploy/docker-compose.yml). Node is only needed to install
# Bootstrap Italia, in its own stage.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# Pango for WeasyPrint, gettext to compile the translations.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Exactly the hash-pinned set that CI tests (requirements.lock, made from requirements.txt by `make lock`).
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
COPY . .
COPY --from=assets /app/node_modules/bootstrap-italia/dist node_modules/bootstrap-italia/dist
# Lora (callouts), served from STATICFILES_DIRS like Bootstrap Italia: settings.py lists both folders.
COPY --from=assets /app/node_modules/@fontsource/lora/files node_modules/@fontsource/lora/files
# The check-in page's QR scanner and its WebAssembly decoder (settings.py, STATICFILES_DIRS).
COPY --from=assets /app/node_modules/barcode-detector/dist/iife node_modules/barcode-detector/dist/iife
COPY --from=assets /app/node_modules/zxing-wasm/dist/reader node_modules/zxing-wasm/dist/reader
# Translations and static files are built into the image, so every container has the same static manifest (the worker
# needs it for the fonts and styles of the PDFs it builds) and a start costs nothing. Neither needs a database or a
# real secret. The media folder exists, owned by the app's user, so the named volume mounted there starts writable.
RUN SECRET_KEY=image-build-only python manage.py compilemessages --ignore=node_modules -v 0 \
 && SECRET_KEY=image-build-only python manage.py collectstatic --noinput -v 0 \
 && useradd --uid 1000 --user-group --home-dir /app/var --no-create-home --shell /usr/sbin/nologin ancilab \
 && mkdir -p /app/var/media \
 && chown -R ancilab:ancilab /app/var
USER ancilab
EXPOSE 8000
# Exec form: gunicorn is PID 1 and receives `docker compose stop`'s SIGTERM itself, finishes the requests in flight
# (up to --graceful-timeout) and exits 0. Migrations run in the one-shot `migrate` service, not at every start.
CMD ["gunicorn", "ancilab_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--graceful-timeout", "20", \
     "--access-logfile", "-"]
