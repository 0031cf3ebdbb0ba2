#!/usr/bin/env bash
# Runs one server's deploy recipe through deploy, redeploy and undeploy, checking the page and the echo after each step
# with EchoCheck.java. Used by each server's check-recipes.sh once that server is running.
#
#   deploy/check-deploy-cycle.sh DEPLOY_SCRIPT WAR PAGE_URL
set -euo pipefail

if [ $# -ne 3 ]; then
    echo "usage: $0 DEPLOY_SCRIPT WAR PAGE_URL" >&2
    exit 2
fi
deploy=$1
war=$2
page=$3
check="$(cd "$(dirname "$0")" && pwd)/EchoCheck.java"

"$deploy" deploy "$war"
java "$check" "$page"
"$deploy" redeploy "$war"
java "$check" "$page"
"$deploy" undeploy
if java "$check" "$page" 2> /dev/null; then
    echo "websocket-echo still answers at $page after undeploy" >&2
    exit 1
fi
