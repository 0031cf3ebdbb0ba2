#!/usr/bin/env bash
# Deploys, redeploys or undeploys websocket-echo on a running Payara Server domain with asadmin.
#
#   deploy/payara-server/deploy.sh deploy   [target/websocket-echo.war]
#   deploy/payara-server/deploy.sh redeploy [target/websocket-echo.war]
#   deploy/payara-server/deploy.sh undeploy
#
# ASADMIN names the asadmin program (default: asadmin on the PATH); AS_ADMIN_HOST and AS_ADMIN_PORT name the domain's
# admin listener (default localhost:4848), and AS_ADMIN_USER / AS_ADMIN_PASSWORDFILE its credentials, as for asadmin.
set -euo pipefail

action=${1:-}
war=${2:-target/websocket-echo.war}
asadmin=${ASADMIN:-asadmin}
name=websocket-echo

case "$action" in
    deploy)
        "$asadmin" deploy --name "$name" --contextroot "$name" "$war"
        ;;
    redeploy)
        "$asadmin" redeploy --name "$name" --contextroot "$name" "$war"
        ;;
    undeploy)
        "$asadmin" undeploy "$name"
        ;;
    *)
        echo "usage: $0 deploy|redeploy [WAR] | undeploy" >&2
        exit 2
        ;;
esac
