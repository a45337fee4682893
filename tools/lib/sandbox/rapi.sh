# shellcheck shell=bash
# RAPI (sourced by tools/ganeti-sandbox): its users, the cluster.env that
# tells the dev stack and the tests how to reach it, and the probes that wait
# for it to answer.

# read by cluster_select (clusters.sh)
# shellcheck disable=SC2034
RAPI_PORT=5080

RAPI_RW_USER=ganeti
RAPI_RW_PASSWORD=ganeti-sandbox
RAPI_RO_USER=viewer
RAPI_RO_PASSWORD=viewer-sandbox

ha1() { printf '%s' "$1:Ganeti Remote API:$2" | md5sum | cut -d' ' -f1; }

# ganeti-rapi reloads this file through inotify: no restart needed.
ensure_rapi_users() {
  mkdir -p "$C_LIB/rapi"
  {
    printf '# written by %s\n' "$PROG"
    printf '%s {HA1}%s write\n' "$RAPI_RW_USER" "$(ha1 "$RAPI_RW_USER" "$RAPI_RW_PASSWORD")"
    printf '%s {HA1}%s read\n' "$RAPI_RO_USER" "$(ha1 "$RAPI_RO_USER" "$RAPI_RO_PASSWORD")"
  } | put_file "$C_LIB/rapi/users" 640 gnt-rapi:gnt-masterd
}

write_cluster_env() {
  local i
  {
    cat <<EOF
# Ganeti sandbox cluster, written by tools/$PROG
RAPI_URL=$C_RAPI_URL
RAPI_USER=$RAPI_RW_USER
RAPI_PASSWORD=$RAPI_RW_PASSWORD
RAPI_RO_USER=$RAPI_RO_USER
RAPI_RO_PASSWORD=$RAPI_RO_PASSWORD
RAPI_CA=$C_STATE/ca.pem
CLUSTER_NAME=$C_CLUSTER
NODE=$C_NODE
OS=noop
HYPERVISORS=$([[ $C_KVM == 1 ]] && printf fake,kvm || printf fake)
EOF
    for i in "${!C_NODES[@]}"; do
      [[ $i == 0 ]] || printf 'NODE%d=%s\n' $((i + 1)) "${C_NODES[$i]}"
    done
  } | put_file "$C_STATE/cluster.env" 644 root:root
}

rapi_code() {
  [[ -s "$C_STATE/ca.pem" ]] || { printf '000'; return 0; }
  curl -s -o /dev/null -w '%{http_code}' --noproxy '*' --max-time "${2:-3}" \
    --cacert "$C_STATE/ca.pem" -u "$RAPI_RW_USER:$RAPI_RW_PASSWORD" \
    "$C_RAPI_URL$1" 2>/dev/null || true
}

wait_rapi() {
  local timeout=${1:-60} deadline code
  deadline=$(( $(now_ms) + timeout * 1000 ))
  while :; do
    code=$(rapi_code /2/info 3)
    [[ "$code" == 200 ]] && return 0
    if (( $(now_ms) >= deadline )); then
      die "RAPI at $C_RAPI_URL did not answer 200 within ${timeout}s (last: $code); see $(node_log_dir)/rapi-daemon.log and $C_LOG"
    fi
    sleep 0.3
  done
}
