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
export PARINDEX_UPSTREAM="${PARINDEX_UPSTREAM:-web:8000}"
mkdir -p "$NGINX_RUN_DIR" "$NGINX_LOG_DIR"
envsubst '${NGINX_USER} ${NGINX_WORKERS} ${NGINX_RUN_DIR} ${NGINX_LOG_DIR} ${NGINX_HTTP_LISTEN}
${NGINX_HTTPS_LISTEN} ${NGINX_SERVER_NAME} ${NGINX_CERT} ${NGINX_CERT_KEY} ${NGINX_PAGES_DIR}
${PARINDEX_UPSTREAM}' < /etc/nginx/parindex/nginx.conf.template > /etc/nginx/nginx.conf
nginx -t -q
exec nginx -g 'daemon off;'
