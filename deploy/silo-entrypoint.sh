#!/bin/sh
# Starts the silo in a container. Orleans advertises one address to the other silos and to clients (through
# the Redis membership table). Kubernetes hands it POD_IP from the downward API, which the silo reads by
# itself; Docker Compose has no such variable, so advertise the container's own IPv4 address.
set -eu

if [ -z "${Cluster__AdvertisedIP:-}" ] && [ -z "${POD_IP:-}" ]; then
  for address in $(hostname -i); do
    case "$address" in
      127.*) ;;
      *.*.*.*)
        Cluster__AdvertisedIP="$address"
        export Cluster__AdvertisedIP
        break
        ;;
    esac
  done
fi

exec dotnet /app/SweepCluster.Silo.dll "$@"
