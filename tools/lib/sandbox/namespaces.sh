# shellcheck shell=bash
# A node's namespaces (sourced by tools/ganeti-sandbox): its network
# namespace, wired to the host by a veth pair (dash2: through a host
# bridge), with its own /etc/hosts and resolver; a private hostname (UTS
# namespace); for a cluster with private roots (dash2) a private mount
# namespace, whose directories are made here too; and ns_exec, which runs a
# command inside them.

# The PATH of every command run on a node (ns_exec) and of have().
SAFE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# Run a command as on the current node: in its netns, with a private hostname
# and, for a cluster with private roots, a private mount namespace in which
# Ganeti's directories (and /root, for ssh) are bound from the node's root.
# fd 9 (our lock) and 8 (seed's saved stderr) are closed so that daemons
# never inherit them.
# shellcheck disable=SC2016
NS_BIND_SCRIPT='h=$0 r=$1 sh=$2; shift 2
hostname "$h" &&
mount --bind "$r/lib" /var/lib/ganeti &&
mount --bind "$r/run" /run/ganeti &&
mount --bind "$r/log" /var/log/ganeti &&
mount --bind "$r/etc" /etc/ganeti &&
mount --bind "$r/srv" /srv/ganeti &&
mount --bind "$sh" /srv/ganeti/shared-file-storage &&
mount --bind "$r/lock" /run/lock &&
mount --bind "$r/home" /root &&
{ [ -z "$IMPEXPD_BACKPORT" ] || mount --bind "$IMPEXPD_BACKPORT" "$IMPEXPD_PY"; } &&
exec "$@"'

# With IMPEXPD_BACKPORT set (peers.sh), that file is bound over Ganeti's
# impexpd module in the command's mount namespace (ip netns exec's own, or
# the private one), never on the host's.
# N_ROOT is node_select's (clusters.sh), not a misspelt C_ROOT.
# shellcheck disable=SC2016,SC2153
ns_exec() {
  if [[ -z "$C_ROOT" ]]; then
    env LC_ALL=C LANG=C PATH="$SAFE_PATH" \
      IMPEXPD_BACKPORT="${IMPEXPD_BACKPORT:-}" IMPEXPD_PY="$IMPEXPD_PY" \
      ip netns exec "$C_NETNS" unshare --uts \
      sh -c 'hostname "$0" &&
{ [ -z "$IMPEXPD_BACKPORT" ] || mount --bind "$IMPEXPD_BACKPORT" "$IMPEXPD_PY"; } &&
exec "$@"' "$N_NAME" "$@" 8>&- 9>&-
  else
    env LC_ALL=C LANG=C PATH="$SAFE_PATH" HOME=/root \
      IMPEXPD_BACKPORT="${IMPEXPD_BACKPORT:-}" IMPEXPD_PY="$IMPEXPD_PY" \
      ip netns exec "$C_NETNS" unshare --uts --mount --propagation private \
      sh -c "$NS_BIND_SCRIPT" "$N_NAME" "$N_ROOT" "$C_SHARED" "$@" 8>&- 9>&-
  fi
}

netns_exists() { [[ -e /run/netns/$C_NETNS ]]; }

hosts_content() {
  local i
  printf '127.0.0.1\tlocalhost\n'
  printf '%s\t%s %s\n' "$C_MASTER_IP" "$C_CLUSTER" "${C_CLUSTER%%.*}"
  for i in "${!C_NODES[@]}"; do
    printf '%s\t%s %s\n' "${C_NODE_IPS[$i]}" "${C_NODES[$i]}" "${C_NODES[$i]%%.*}"
  done
  for i in $(seq 1 254); do
    printf '%s.%d\t%s%03d.%s %s%03d\n' "$C_INST_NET" "$i" \
      "$C_INST_PREFIX" "$i" "$C_DOMAIN" "$C_INST_PREFIX" "$i"
  done
  # The peer cluster's nodes and instances, full names only (its short
  # names would clash with ours): a move resolves the instance's name on
  # the destination's master, and the sending node finds the receiving
  # node's certificate name by its address (peers.sh).
  for i in "${!C_PEER_NODES[@]}"; do
    printf '%s\t%s\n' "${C_PEER_NODE_IPS[$i]}" "${C_PEER_NODES[$i]}"
  done
  for i in $(seq 1 254); do
    printf '%s.%d\t%s%03d.%s\n' "$C_PEER_INST_NET" "$i" \
      "$C_PEER_INST_PREFIX" "$i" "$C_DOMAIN"
  done
}

# For the current node.
ensure_netns_files() {
  hosts_content | put_file "/etc/netns/$C_NETNS/hosts" 644 root:root inplace
  # Resolver: the namespace's own loopback (nothing listens), so unknown names
  # fail at once and no query leaves the namespace.
  printf 'nameserver 127.0.0.1\nsearch %s\noptions timeout:1 attempts:1\n' "$C_DOMAIN" \
    | put_file "/etc/netns/$C_NETNS/resolv.conf" 644 root:root inplace
}

# For the current node; with a host bridge, the host end joins it and the
# host's address is on the bridge, else on the host end itself.
ensure_network() {
  if [[ -n "$C_HOST_BRIDGE" ]]; then
    if ! ip link show "$C_HOST_BRIDGE" >/dev/null 2>&1; then
      ip link add "$C_HOST_BRIDGE" type bridge stp_state 0
    fi
    ip addr replace "$C_HOST_IP/$C_PREFIXLEN" dev "$C_HOST_BRIDGE"
    ip link set "$C_HOST_BRIDGE" up
  fi
  netns_exists || ip netns add "$C_NETNS"
  if ! ip -n "$C_NETNS" link show "$C_VETH_NS" >/dev/null 2>&1; then
    # A host end left from an old namespace would clash: remove it.
    ip link del "$C_VETH_HOST" >/dev/null 2>&1 || true
    ip link add "$C_VETH_HOST" type veth peer name "$C_VETH_NS" netns "$C_NETNS"
  fi
  if [[ -n "$C_HOST_BRIDGE" ]]; then
    ip link set "$C_VETH_HOST" master "$C_HOST_BRIDGE"
  else
    ip addr replace "$C_HOST_IP/$C_PREFIXLEN" dev "$C_VETH_HOST"
  fi
  ip link set "$C_VETH_HOST" up
  ip -n "$C_NETNS" link set lo up
  ip -n "$C_NETNS" addr replace "$C_NODE_IP/$C_PREFIXLEN" dev "$C_VETH_NS"
  ip -n "$C_NETNS" link set "$C_VETH_NS" up
  if ! ip -n "$C_NETNS" link show "$C_BRIDGE" >/dev/null 2>&1; then
    ip -n "$C_NETNS" link add "$C_BRIDGE" type bridge
  fi
  ip -n "$C_NETNS" link set "$C_BRIDGE" up
}

# For the current node (and the host bridge once no node uses it).
remove_network() {
  if netns_exists; then ip netns del "$C_NETNS"; fi
  if ip link show "$C_VETH_HOST" >/dev/null 2>&1; then
    ip link del "$C_VETH_HOST" >/dev/null 2>&1 || true
  fi
  rm -rf "/etc/netns/$C_NETNS"
}

remove_host_bridge() {
  if [[ -n "$C_HOST_BRIDGE" ]] && ip link show "$C_HOST_BRIDGE" >/dev/null 2>&1; then
    ip link del "$C_HOST_BRIDGE"
  fi
}

master_ip_present() {
  local a
  a=$(ip -n "$C_NETNS" -o -4 addr show dev "$C_VETH_NS" 2>/dev/null) || return 1
  [[ "$a" == *"inet $C_MASTER_IP/"* ]]
}

# The host directories the wrapper binds over must exist (they do once the
# ganeti package is installed and dash1 ran; create the missing ones empty).
ensure_bind_targets() {
  mkdir_as /var/lib/ganeti gnt-masterd:gnt-masterd 755
  mkdir_as /run/ganeti gnt-masterd:gnt-daemons 775
  mkdir_as /var/log/ganeti gnt-masterd:gnt-daemons 770
  mkdir_as /etc/ganeti root:root 755
  mkdir_as /srv/ganeti root:root 755
  mkdir_as /run/lock root:root 1777
}

# The current node's private root: Ganeti's directories as ensure-dirs wants
# them (it fixes the rest when a daemon starts), a copy of /etc/ganeti (its
# symlinks to /usr/{lib,share}/ganeti/3.0 included), /srv/ganeti, and a
# private home for root's ssh key.
ensure_private_root() {
  mkdir_as "$C_ROOT" root:root 755
  mkdir_as "$C_SHARED" root:root 755
  mkdir_as "$N_ROOT" root:root 755
  mkdir_as "$C_LIB" gnt-masterd:gnt-masterd 755
  mkdir_as "$C_RUN" gnt-masterd:gnt-daemons 775
  mkdir_as "$N_ROOT/log" gnt-masterd:gnt-daemons 770
  mkdir_as "$N_ROOT/lock" root:root 1777
  mkdir_as "$C_SRV" root:root 755
  mkdir_as "$C_SRV/shared-file-storage" root:root 755   # bind target
  mkdir_as "$N_ROOT/home" root:root 700
  mkdir_as "$N_ROOT/home/.ssh" root:root 700
  mkdir_as "$N_ROOT/ssh" root:root 700
  if [[ ! -d "$C_ETC" ]]; then
    rm -rf "$C_ETC.tmp"
    cp -a /etc/ganeti "$C_ETC.tmp"
    rm -f "$C_ETC.tmp/file-storage-paths"
    mv "$C_ETC.tmp" "$C_ETC"
  fi
}
