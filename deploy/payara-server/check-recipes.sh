#!/usr/bin/env bash
# Runs this folder's recipes against a freshly started Payara Server domain (made by create-domain.sh) and checks the
# echo after each one; stops the domain again whatever happens. Run by the build's payara-server profile after the
# integration tests.
#
#   deploy/payara-server/check-recipes.sh PAYARA_HOME DOMAIN ADMIN_PORT HTTP_PORT WAR
set -euo pipefail

if [ $# -ne 5 ]; then
    echo "usage: $0 PAYARA_HOME DOMAIN ADMIN_PORT HTTP_PORT WAR" >&2
    exit 2
fi
export ASADMIN=$1/bin/asadmin
domain=$2
export AS_ADMIN_HOST=127.0.0.1 AS_ADMIN_PORT=$3
page=http://127.0.0.1:$4/websocket-echo/
war=$5
here=$(cd "$(dirname "$0")" && pwd)

"$ASADMIN" start-domain "$domain"
trap '"$ASADMIN" stop-domain "$domain"' EXIT

"$here/../check-deploy-cycle.sh" "$here/deploy.sh" "$war" "$page"
echo "Payara Server recipes: deploy, redeploy and undeploy checked"
