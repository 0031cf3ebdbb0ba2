#!/usr/bin/env bash
# Runs this folder's recipes against a fresh Payara Server domain made by ../glassfish/create-domain.sh on the given
# loopback ports, and checks the echo after each one; stops and deletes the domain again whatever happens. Run by the
# build's payara-server profile after the integration tests.
#
#   deploy/payara-server/check-recipes.sh PAYARA_HOME WAR HTTP_PORT ADMIN_PORT
set -euo pipefail

if [ $# -ne 4 ]; then
    echo "usage: $0 PAYARA_HOME WAR HTTP_PORT ADMIN_PORT" >&2
    exit 2
fi
export ASADMIN=$1/bin/asadmin
war=$2
page=http://127.0.0.1:$3/websocket-echo/
export AS_ADMIN_HOST=127.0.0.1 AS_ADMIN_PORT=$4
domain=websocket-echo-recipes
here=$(cd "$(dirname "$0")" && pwd)

"$here/../glassfish/create-domain.sh" "$1" "$domain" "$4" "$3"
"$ASADMIN" start-domain "$domain"
trap '"$ASADMIN" stop-domain "$domain"; "$ASADMIN" delete-domain "$domain" > /dev/null' EXIT

"$here/../check-deploy-cycle.sh" "$here/deploy.sh" "$war" "$page"
echo "Payara Server recipes: deploy, redeploy and undeploy checked"
