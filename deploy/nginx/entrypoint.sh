#!/bin/sh
# Fill the one template (nginx.conf.template) from the environment and run nginx.
set -eu
: "${NGINX_SERVER_NAME:?set NGINX_SERVER_NAME (the site's host name) in .env}"
export NGINX_USER="${NGINX_USER:-www-data}"
export NGINX_WORKERS="${NGINX_WORKERS:-auto}"
export NGINX_RUN_DIR="${NGINX_RUN_DIR:-/run/nginx}"
export NGINX_LOG_DIR="${NGINX_LOG_DIR:-/var/log/nginx}"
export NGINX_HTTP_LISTEN="${NGINX_HTTP_LISTEN:-80}"
export NGINX_HTTPS_LISTEN="${NGINX_HTTPS_LISTEN:-443}"
export NGINX_CERT="${NGINX_CERT:-/etc/nginx/tls/fullchain.pem}"
export NGINX_CERT_KEY="${NGINX_CERT_KEY:-/etc/nginx/tls/privkey.pem}"
export NGINX_PAGES_DIR="${NGINX_PAGES_DIR:-/etc/nginx/parindex}"
# The app's PARINDEX_MEDIA_ROOT, mounted read-only (docker-compose.yml): the stored files
# Django names in X-Accel-Redirect are read from here.
export NGINX_MEDIA_ROOT="${NGINX_MEDIA_ROOT:-/data/media}"
export PARINDEX_UPSTREAM="${PARINDEX_UPSTREAM:-web:8000}"
mkdir -p "$NGINX_RUN_DIR" "$NGINX_LOG_DIR"
envsubst '${NGINX_USER} ${NGINX_WORKERS} ${NGINX_RUN_DIR} ${NGINX_LOG_DIR} ${NGINX_HTTP_LISTEN}
${NGINX_HTTPS_LISTEN} ${NGINX_SERVER_NAME} ${NGINX_CERT} ${NGINX_CERT_KEY} ${NGINX_PAGES_DIR}
${NGINX_MEDIA_ROOT} ${PARINDEX_UPSTREAM}' < /etc/nginx/parindex/nginx.conf.template > /etc/nginx/nginx.conf
# The documents' hop listens on a socket there: one a killed nginx left would stop it binding.
rm -f "$NGINX_RUN_DIR/documents.sock"
nginx -t -q
exec nginx -g 'daemon off;'
