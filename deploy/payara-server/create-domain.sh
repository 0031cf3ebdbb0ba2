#!/usr/bin/env bash
# Creates a Payara Server (or GlassFish) domain for development and tests: every port at PORTBASE + the usual offsets
# (admin +48, HTTP +80, HTTPS +81), every listener on 127.0.0.1, no Hazelcast data grid and no JMS broker, admin without
# password.
#
#   deploy/payara-server/create-domain.sh PAYARA_HOME DOMAIN PORTBASE
#
# An existing domain of that name is deleted first.
set -euo pipefail

if [ $# -ne 3 ]; then
    echo "usage: $0 PAYARA_HOME DOMAIN PORTBASE" >&2
    exit 2
fi
payara_home=$1
domain=$2
portbase=$3
asadmin="$payara_home/bin/asadmin"
config="$payara_home/glassfish/domains/$domain/config/domain.xml"

if [ -d "$payara_home/glassfish/domains/$domain" ]; then
    "$asadmin" delete-domain "$domain"
fi
"$asadmin" create-domain --portbase "$portbase" --nopassword "$domain"

# Before the first start: bind every listener to loopback, and switch off the JMS broker (and Payara's data grid),
# which would otherwise listen on every interface. The first <config> of domain.xml is the server's own.
if ! grep -m 1 '<config ' "$config" | grep -q 'name="server-config"'; then
    echo "$config does not start with the server-config" >&2
    exit 1
fi
jms_service='<jms-service type="DISABLED" default-jms-host="default_JMS_host"><jms-host name="default_JMS_host" host="127.0.0.1" port="'"$((portbase + 76))"'"></jms-host></jms-service>'
sed -i \
    -e 's/address="0\.0\.0\.0"/address="127.0.0.1"/g' \
    -e 's/<network-listener port=/<network-listener address="127.0.0.1" port=/' \
    -e 's#<hazelcast-config-specific-configuration></hazelcast-config-specific-configuration>#<hazelcast-config-specific-configuration enabled="false"></hazelcast-config-specific-configuration>#' \
    -e '0,/<\/config>/s#^\( *\)</config>#\1  '"$jms_service"'\n\1</config>#' \
    "$config"
server_config=$(sed -n '0,/<\/config>/p' "$config")
for expected in 'type="DISABLED"' 'network-listener address="127.0.0.1"'; do
    if ! grep -q "$expected" <<< "$server_config"; then
        echo "$config does not have the expected layout: no $expected after editing it" >&2
        exit 1
    fi
done
if [ "$(grep -c '<jms-service' <<< "$server_config")" -ne 1 ] \
        || grep -q '<hazelcast-config-specific-configuration>' <<< "$server_config"; then
    echo "$config does not have the expected layout: JMS or the data grid is still on" >&2
    exit 1
fi
echo "Domain $domain: admin http://127.0.0.1:$((portbase + 48)), HTTP http://127.0.0.1:$((portbase + 80))"
