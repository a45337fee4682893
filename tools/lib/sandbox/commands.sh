# shellcheck shell=bash
# The commands up, status, down, destroy and exec (sourced by
# tools/ganeti-sandbox; seed and unseed are in seed.sh).

# Everything a node needs before its daemons can start (the current node).
prepare_node() {
  if [[ -n "$C_ROOT" ]]; then ensure_private_root; fi
  stop_stray_daemons
  ensure_network
  ensure_netns_files
  ensure_os_defs
  ensure_misc_files
  if [[ -n "$C_ROOT" ]]; then
    ensure_ssh_keys
    ensure_sshd
  fi
}

cmd_up() {
  local t0 i; t0=$(now_ms)
  [[ $EUID -eq 0 ]] || die "must run as root"
  mkdir -p "$C_STATE"; chmod 755 "$C_STATE"
  with_lock
  ensure_packages
  if [[ $C_KVM == 1 ]]; then
    ensure_kvm_packages
    ensure_guest_image
  fi
  check_cluster_ours
  ensure_impexpd_backport
  STARTED_DAEMONS=0
  RAPI_ARGS_CHANGED=0
  if [[ -n "$C_ROOT" ]]; then ensure_bind_targets; fi
  for i in "${!C_NODES[@]}"; do
    node_select "$i"
    prepare_node
  done
  node_select 0
  ensure_peer_routes

  if ! cluster_initialised; then
    init_cluster
  else
    # Resuming: the other nodes first, since the master's daemons ask them
    # to agree on who the master is before they start. A node that lost its
    # state cannot answer (it is re-added below): skip that vote.
    for i in "${!C_NODES[@]}"; do
      [[ $i == 0 ]] && continue
      node_select "$i"
      if [[ -s "$C_LIB/server.pem" ]]; then
        start_missing_daemons
      else
        # read by start_daemon (daemons.sh)
        # shellcheck disable=SC2034
        NO_VOTING=1
      fi
    done
    node_select 0
  fi

  ensure_tls
  ensure_rapi_users
  start_missing_daemons
  if [[ $RAPI_CERT_CHANGED == 1 || $RAPI_ARGS_CHANGED == 1 ]]; then
    log "restarting ganeti-rapi (new certificate or arguments)"
    restart_daemon ganeti-rapi
  fi

  if ! master_ip_present; then
    for i in $(seq 1 30); do master_ip_present && break; sleep 0.2; done
    if ! master_ip_present; then
      log "activating master IP $C_MASTER_IP"
      ns_exec gnt-cluster activate-master-ip </dev/null >>"$C_LOG" 2>&1 || true
    fi
  fi

  if [[ $C_KVM == 1 ]]; then
    ensure_kvm_hypervisor
    # ganeti-kvmd, should it be wanted now (see start_missing_daemons)
    if [[ $KVM_CHANGED == 1 ]]; then start_missing_daemons; fi
  fi

  if [[ ${#C_NODES[@]} -gt 1 ]]; then
    ensure_nodes_joined
    for i in "${!C_NODES[@]}"; do
      [[ $i == 0 ]] && continue
      node_select "$i"
      start_missing_daemons
    done
    node_select 0
  fi

  for i in "${!C_NODES[@]}"; do
    node_select "$i"
    ensure_noded_backport
  done
  node_select 0
  ensure_shared_domain_secret

  write_cluster_env
  wait_rapi 60
  local dt=$(( $(now_ms) - t0 ))
  printf 'Ganeti sandbox %s up (%d.%03d s, %d daemon(s) started)\n' "$C_ID" $((dt / 1000)) $((dt % 1000)) "$STARTED_DAEMONS"
  printf '  RAPI     %s  (rw %s/%s, ro %s/%s)\n' "$C_RAPI_URL" \
    "$RAPI_RW_USER" "$RAPI_RW_PASSWORD" "$RAPI_RO_USER" "$RAPI_RO_PASSWORD"
  printf '  CA       %s\n' "$C_STATE/ca.pem"
  printf '  env      %s\n' "$C_STATE/cluster.env"
  printf '  cluster  %s  node(s) %s  OS noop, noop-variants+{default,minimal}\n' "$C_CLUSTER" "${C_NODES[*]}"
  if [[ $C_KVM == 1 ]]; then
    printf '  kvm      guest %s/{vmlinuz,initrd.img}: serial %s/kvm-hypervisor/ctrl/NAME.serial, VNC %s:network_port\n' \
      "$C_GUEST" "$C_RUN" "$C_NODE_IP"
  fi
  if [[ $C_ID == dash1 ]]; then
    printf '  shell    %s exec gnt-instance list\n' "$0"
  else
    printf '  shell    %s --cluster %s [--node N] exec gnt-node list\n' "$0" "$C_ID"
  fi
}

cmd_status() {
  trap - ERR
  if netns_exists && [[ "$(rapi_code /2/info 3)" == 200 ]]; then
    echo up
    return 0
  fi
  echo down
  return 3
}

cmd_down() {
  [[ $EUID -eq 0 ]] || die "must run as root"
  with_lock
  local t0; t0=$(now_ms)
  stop_daemons
  local dt=$(( $(now_ms) - t0 ))
  printf 'Ganeti sandbox %s down (%d.%03d s); cluster state kept, "up" resumes it\n' "$C_ID" $((dt / 1000)) $((dt % 1000))
}

# True when some mount of this (the host's) mount namespace lies under DIR:
# then removing DIR could reach into it.
mounts_below() {
  local dir mp
  dir=$(realpath -m "$1")
  while read -r _ _ _ _ mp _; do
    mp=$(printf '%b' "$mp")
    [[ "$mp" == "$dir" || "$mp" == "$dir"/* ]] && return 0
  done </proc/self/mountinfo
  return 1
}

cmd_destroy() {
  [[ $EUID -eq 0 ]] || die "must run as root"
  with_lock
  local t0 i; t0=$(now_ms)
  check_cluster_ours
  stop_daemons
  stop_instances
  if [[ -z "$C_ROOT" ]]; then
    clean_ganeti_state
    if [[ -d "$C_SRV" ]]; then
      find "$C_SRV/file-storage" "$C_SRV/shared-file-storage" -mindepth 1 -delete 2>/dev/null || true
      rm -rf "$C_SRV/os/noop" "$C_SRV/os/noop-variants"
    fi
  fi
  for i in "${!C_NODES[@]}"; do
    node_select "$i"
    remove_network
  done
  node_select 0
  remove_host_bridge
  remove_peer_routes
  if mounts_below "$C_STATE"; then
    die "something is mounted below $C_STATE; not removing it"
  fi
  rm -rf "${C_STATE:?}"
  local dt=$(( $(now_ms) - t0 ))
  printf 'Ganeti sandbox %s destroyed (%d.%03d s)\n' "$C_ID" $((dt / 1000)) $((dt % 1000))
}

cmd_exec() {
  [[ $# -gt 0 ]] || die "usage: $PROG [--cluster C] [--node N] exec CMD [ARGS...]"
  [[ $EUID -eq 0 ]] || die "must run as root"
  netns_exists || die "namespace $C_NETNS does not exist; run '$PROG up' first"
  trap - ERR
  ns_exec "$@"
}
