#!/bin/sh
# Run by hocso-healthcheck.timer (as root, to restart units). Restarts what
# does not answer:
# - web: /healthz must answer 200 (503 means the database is down: restarting
#   gunicorn would not help, so only a refused or hung request counts);
# - each enabled worker must answer `celery inspect ping` — unless the broker
#   itself is down, when no worker can answer and restarting them would not help.
set -u
cd /srv/hocso || exit 1
WEB=${HOCSO_HEALTH_URL:-http://127.0.0.1:8000/healthz}

status=$(curl -s -o /tmp/hocso-health.json -w '%{http_code}' --max-time 10 "$WEB")
case "$status" in
  200|503) ;;
  *) logger -t hocso-health "web answered '$status': restarting hocso-web"
     systemctl restart hocso-web.service ;;
esac

grep -q '"broker": "ok"' /tmp/hocso-health.json 2>/dev/null || exit 0
for unit in $(systemctl list-units --state=active --plain --no-legend 'hocso-worker@*.service' | cut -d' ' -f1); do
  instance=${unit#hocso-worker@}; instance=${instance%.service}
  if ! .venv/bin/celery -A config inspect ping --timeout 5 \
      --destination "worker${instance}@$(hostname)" >/dev/null 2>&1; then
    logger -t hocso-health "$unit did not answer ping: restarting it"
    systemctl restart "$unit"
  fi
done
