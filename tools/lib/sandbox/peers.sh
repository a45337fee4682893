# shellcheck shell=bash
# The two clusters as peers between which instances move (sourced by
# tools/ganeti-sandbox): Ganeti's remote export/import (the dashboard's
# "Move to Cluster", move-instance) needs
#   - the same cluster domain secret on both clusters (the destination
#     checks the source's handshake and signed CA with it): dash1's is
#     written on every node of dash2;
#   - the source's nodes able to reach the destination's: the import daemon
#     listens on the destination node's primary address, on a port the
#     kernel picks, and the source node connects to it. The host forwards
#     between the two node subnets only: forwarding is on for the two host
#     devices alone (never eth0 or "all"), and ip rules let what comes in
#     on them reach the peer's subnet and nothing else ("prohibit"); what
#     is for the host itself is answered before (the "local" table, rule 0).
#     Each node routes the peer's subnet through the host; no default route;
#   - on Ganeti 3.0 (Debian bookworm), upstream's fix of the export's
#     certificate check (ganeti/ganeti#1681, fixed in 3.1 by #1699 and
#     #1840): the sending socat wants the name ganeti.example.com, while a
#     remote import's certificate is named after its node, so every move
#     failed with "commonName does not match". The fixed module, made from
#     the installed one with impexpd-remote-cn.patch, is bound over it in
#     the nodes' mount namespaces only (ns_exec); the host's file is never
#     changed. It finds the node's name by the address (the hosts file
#     names the peer's nodes, namespaces.sh).

IMPEXPD_PY=/usr/share/ganeti/3.0/ganeti/impexpd/__init__.py
IMPEXPD_PATCH=$TOOLS/lib/sandbox/impexpd-remote-cn.patch

# Sets IMPEXPD_BACKPORT (read by ns_exec) to the fixed module in the state
# dir, made when missing or older than the installed module or the patch;
# empty when the installed Ganeti has the fix already.
ensure_impexpd_backport() {
  local out=$C_STATE/impexpd-backport.py
  IMPEXPD_BACKPORT=""
  [[ -f "$IMPEXPD_PY" ]] || return 0
  if grep -q gethostbyaddr "$IMPEXPD_PY"; then rm -f "$out"; return 0; fi
  if [[ ! -s "$out" || "$out" -ot "$IMPEXPD_PY" || "$out" -ot "$IMPEXPD_PATCH" ]]; then
    rm -f "$out.tmp"
    if ! patch -s -o "$out.tmp" "$IMPEXPD_PY" "$IMPEXPD_PATCH" >>"$C_LOG" 2>&1; then
      rm -f "$out.tmp" "$out.tmp.rej"
      log "warning: impexpd-remote-cn.patch does not apply to $IMPEXPD_PY; moves between the clusters will fail"
      return 0
    fi
    chmod 644 "$out.tmp"
    mv -f "$out.tmp" "$out"
  fi
  IMPEXPD_BACKPORT=$out
}

# The current node's noded (which starts the import/export daemons) must
# see the fixed module: restarted once if it was started without it.
ensure_noded_backport() {
  [[ -n "$IMPEXPD_BACKPORT" ]] || return 0
  local pid
  pid=$(pidfile_pid "$C_RUN/ganeti-noded.pid")
  is_ganeti_pid "$pid" || return 0
  cmp -s "/proc/$pid/root$IMPEXPD_PY" "$IMPEXPD_BACKPORT" && return 0
  log "restarting ganeti-noded on $N_NAME (moves need the impexpd fix)"
  restart_daemon ganeti-noded
}

# The host's side, for the current cluster: forwarding on its host device
# and the two rules; each node's route to the peer's subnet.
ensure_peer_routes() {
  local i
  # (not sysctl: procps may be missing; the device's own switch only)
  echo 1 >"/proc/sys/net/ipv4/conf/$C_HOST_DEV/forwarding"
  if ! ip rule show pref "$C_RULE_PREF" | grep -q .; then
    ip rule add pref "$C_RULE_PREF" iif "$C_HOST_DEV" to "$C_PEER_NET" lookup main
  fi
  if ! ip rule show pref $((C_RULE_PREF + 1)) | grep -q .; then
    ip rule add pref $((C_RULE_PREF + 1)) iif "$C_HOST_DEV" prohibit
  fi
  for i in "${!C_NODES[@]}"; do
    ip -n "${C_NETNSS[$i]}" route replace "$C_PEER_NET" via "$C_HOST_IP"
  done
}

# For destroy: the rules (they outlive the device); routes and the
# forwarding switch go with the namespaces and devices.
remove_peer_routes() {
  local p
  for p in "$C_RULE_PREF" $((C_RULE_PREF + 1)); do
    while ip rule show pref "$p" | grep -q .; do ip rule del pref "$p"; done
  done
}

# dash1's cluster domain secret on every node of dash2 (run by either
# cluster's up; nothing when one of them is not initialised). Ganeti reads
# the file at each use: no restart. What only the old secret signed (an
# unfinished move's handshake) is refused afterwards, nothing else.
ensure_shared_domain_secret() {
  local src dst root secret
  src=$( (cluster_select dash1; printf '%s' "$C_LIB") )
  root=$( (cluster_select dash2; printf '%s' "$C_ROOT") )
  [[ -s "$src/cluster-domain-secret" ]] || return 0
  secret=$(cat "$src/cluster-domain-secret")
  for dst in "$root"/node*/lib; do
    [[ -s "$dst/cluster-domain-secret" ]] || continue
    put_file "$dst/cluster-domain-secret" 640 gnt-masterd:gnt-masterd \
      <<<"$secret"
  done
}
