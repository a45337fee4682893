# shellcheck shell=bash
# Ganeti's own setup (sourced by tools/ganeti-sandbox): a node's OS
# definitions and file-storage paths, RAPI's arguments and the host's SSH
# host keys, gnt-cluster init on the master and gnt-node add of the other
# nodes.

# Ganeti's file-storage root as seen on a node (inside its namespaces).
GNT_SRV=/srv/ganeti

# For the current node. dash2 has an OS of its own, noop-cluster2, so that
# the clusters' OS lists differ (the create form offers each cluster's own).
ensure_os_defs() {
  local os dir s own=()
  [[ $C_ID == dash2 ]] && own=(noop-cluster2)
  for os in noop noop-variants "${own[@]}"; do
    dir=$C_SRV/os/$os
    mkdir -p "$dir"
    put_file "$dir/ganeti_api_version" 644 root:root <<<'20'
    put_file "$dir/parameters.list" 644 root:root </dev/null
    for s in create import export rename verify; do
      put_file "$dir/$s" 755 root:root <<<$'#!/bin/sh\n# no-op OS for the ganeti-dashboard sandbox\nexit 0'
    done
  done
  rm -f "$C_SRV/os/noop/variants.list"
  put_file "$C_SRV/os/noop-variants/variants.list" 644 root:root <<<$'default\nminimal'
}

# For the current node (file-storage-paths) and the host (/etc/default/ganeti,
# shared by all clusters; host SSH keys).
ensure_misc_files() {
  mkdir -p "$C_SRV/file-storage" "$C_SRV/shared-file-storage"
  # Ganeti only accepts file storage below paths listed here (paths as on the node).
  local f=$C_ETC/file-storage-paths p
  mkdir -p "$C_ETC"
  touch "$f"
  for p in "$GNT_SRV/file-storage" "$GNT_SRV/shared-file-storage"; do
    grep -qxF "$p" "$f" || printf '%s\n' "$p" >>"$f"
  done
  # RAPI must listen on the cluster IP, not only the namespace's loopback.
  local want='RAPI_ARGS="-b 0.0.0.0 --require-authentication"' def=/etc/default/ganeti
  if ! grep -qxF "$want" "$def" 2>/dev/null; then
    if grep -q '^RAPI_ARGS=' "$def" 2>/dev/null; then
      sed -i "s|^RAPI_ARGS=.*|$want|" "$def"
    else
      printf '%s\n' "$want" >>"$def"
    fi
    # read by cmd_up (commands.sh), which restarts ganeti-rapi then
    # shellcheck disable=SC2034
    RAPI_ARGS_CHANGED=1
  fi
  # gnt-cluster init reads the host RSA key even with --no-ssh-init.
  [[ -s /etc/ssh/ssh_host_rsa_key.pub ]] || ssh-keygen -A >>"$C_LOG" 2>&1
}

cluster_initialised() { [[ -s "$C_LIB/config.data" ]]; }

check_cluster_ours() {
  local name
  name=$(cat "$C_LIB/ssconf_cluster_name" 2>/dev/null || true)
  if cluster_initialised && [[ -n "$name" && "$name" != "$C_CLUSTER" ]]; then
    die "$C_LIB holds another cluster ('$name'); refusing to touch it"
  fi
}

# For the current node.
clean_ganeti_state() {
  check_cluster_ours
  [[ -d "$C_LIB" ]] || return 0
  find "$C_LIB" -mindepth 1 -delete 2>/dev/null || rm -rf "${C_LIB:?}"/* "${C_LIB:?}"/.[!.]*
  if [[ -d "$C_RUN" ]]; then find "$C_RUN" -mindepth 1 -delete; fi
}

# Initialises the cluster on its first node (the master); the current node
# is node 0 before and after.
init_cluster() {
  local i leftovers=0
  for i in "${!C_NODES[@]}"; do
    node_select "$i"
    [[ -n "$(ls -A "$C_LIB" 2>/dev/null)" ]] && leftovers=1
  done
  node_select 0
  if [[ $leftovers == 1 ]]; then
    log "removing leftovers of an earlier, incomplete init in $C_LIB"
    stop_daemons ganeti
    for i in "${!C_NODES[@]}"; do node_select "$i"; clean_ganeti_state; done
    node_select 0
  fi
  stop_daemons ganeti
  log "gnt-cluster init $C_CLUSTER"
  local t0; t0=$(now_ms)
  printf '== %s gnt-cluster init\n' "$(date -Is)" >>"$C_LOG"
  ns_exec gnt-cluster init \
    --no-ssh-init \
    --no-etc-hosts \
    --master-netdev="$C_VETH_NS" \
    --enabled-hypervisors=fake \
    --enabled-disk-templates=diskless,file,sharedfile \
    --file-storage-dir="$GNT_SRV/file-storage" \
    --shared-file-storage-dir="$GNT_SRV/shared-file-storage" \
    --nic-parameters="mode=bridged,link=$C_BRIDGE" \
    --ipolicy-vcpu-ratio=64 \
    "$C_CLUSTER" </dev/null >>"$C_LOG" 2>&1 \
    || die "gnt-cluster init failed (see $C_LOG)"
  log "initialised in $(( ($(now_ms) - t0) / 1000 )) s"
}

# Adds the other nodes to the cluster with gnt-node add (run on the master;
# it sets up noded on the new node over ssh, then checks it over ssh). A
# node that the cluster knows but that lost its state is re-added. The
# current node is node 0 afterwards.
ensure_nodes_joined() {
  local i mode t0
  for i in "${!C_NODES[@]}"; do
    [[ $i == 0 ]] && continue
    node_select "$i"
    mode=""
    if ! grep -qxF "$N_NAME" "$C_ROOT/node1/lib/ssconf_node_list" 2>/dev/null; then
      mode=add
    elif [[ ! -s "$C_LIB/server.pem" || ! -s "$C_LIB/config.data" ]]; then
      mode=readd
    fi
    [[ -z "$mode" ]] && continue
    stop_stray_daemons
    node_select 0
    log "gnt-node add $([[ $mode == readd ]] && printf -- '--readd ')${C_NODES[$i]}"
    t0=$(now_ms)
    printf '== %s gnt-node add (%s) %s\n' "$(date -Is)" "$mode" "${C_NODES[$i]}" >>"$C_LOG"
    if [[ $mode == add ]]; then
      ns_exec gnt-node add "${C_NODES[$i]}" </dev/null >>"$C_LOG" 2>&1 \
        || die "gnt-node add ${C_NODES[$i]} failed (see $C_LOG)"
    else
      ns_exec gnt-node add --readd "${C_NODES[$i]}" </dev/null >>"$C_LOG" 2>&1 \
        || die "gnt-node add --readd ${C_NODES[$i]} failed (see $C_LOG)"
    fi
    log "added in $(( ($(now_ms) - t0) / 1000 )) s"
  done
  node_select 0
}
