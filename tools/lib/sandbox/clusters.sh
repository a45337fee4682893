# shellcheck shell=bash
# The two sandbox clusters and their nodes (sourced by tools/ganeti-sandbox).
#
# dash1: one node. It lives in the network namespace gnt-dash1 (veth
# gntd1-host 198.18.80.1 on the host, gntd1 198.18.80.2 inside) with a private
# UTS namespace whose hostname is node1.ganeti.test; it uses the host's
# Ganeti directories (/var/lib/ganeti, /run/ganeti, ...). Instance names
# vm001..vm254.ganeti.test resolve to 198.18.81.x (no route).
#
# dash2: two nodes, node1/node2.cluster2.ganeti.test, each in its own network
# namespace (gnt-dash2-n1, gnt-dash2-n2) joined by the host bridge gntd2-br
# (198.18.82.1); nodes 198.18.82.2 and .3, master IP 198.18.82.10. Each node
# also has a private mount namespace in which Ganeti's directories
# (/var/lib/ganeti, /run/ganeti, /var/log/ganeti, /etc/ganeti, /srv/ganeti,
# /run/lock) and /root are bound from a private root under its state dir; both
# nodes' /srv/ganeti/shared-file-storage is one host directory (real shared
# storage for sharedfile). node2 was added with gnt-node add over ssh: each
# node runs its own sshd (listening on its own address only, started through
# the node's wrapper). Instance names c2vm001..c2vm254.ganeti.test resolve to
# 198.18.83.x (no route).
#
# Each cluster is the other's peer, as two clusters of one site between
# which instances move (Ganeti's remote export/import, peers.sh): the host
# routes between the two node subnets (and nothing else), each node's hosts
# file also names the peer's nodes and instances, and both clusters share
# dash1's cluster domain secret.
#
# Structure: everything cluster-specific is in the C_* variables set by
# cluster_select, everything node-specific in those set by node_select; the
# functions only use those.

# The C_* variables (and APT_LOG, common.sh's) are read by the other files.
# shellcheck disable=SC2034
cluster_select() {
  C_ROOT=""                      # private roots of the nodes ("" = host dirs)
  C_SHARED=""                    # host dir bound as every node's shared-file-storage
  C_HOST_BRIDGE=""               # host bridge joining the nodes ("" = IP on the veth)
  C_KVM=0                        # 1: the kvm hypervisor too, with a real guest
  case "$1" in
    dash1)
      C_ID=dash1
      C_NETNSS=(gnt-dash1)
      C_VETH_HOSTS=(gntd1-host)
      C_VETH_NS=gntd1
      C_BRIDGE=gntbr0
      C_PREFIXLEN=24
      C_HOST_IP=198.18.80.1
      C_NODE_IPS=(198.18.80.2)
      C_MASTER_IP=198.18.80.10
      C_INST_NET=198.18.81         # vm001..vm254 -> 198.18.81.1..254
      C_INST_PREFIX=vm
      C_DOMAIN=ganeti.test
      C_CLUSTER=cluster.ganeti.test
      C_NODES=(node1.ganeti.test)
      C_STATE=${GANETI_SANDBOX_STATE:-/var/lib/ganeti-dashboard-dev/ganeti}
      C_KVM=1
      C_HOST_DEV=gntd1-host        # the host's address is on this device
      C_RULE_PREF=1180             # ip rules 1180, 1181 (peers.sh)
      C_PEER=dash2
      C_PEER_NET=198.18.82.0/24
      C_PEER_NODES=(node1.cluster2.ganeti.test node2.cluster2.ganeti.test)
      C_PEER_NODE_IPS=(198.18.82.2 198.18.82.3)
      C_PEER_INST_NET=198.18.83
      C_PEER_INST_PREFIX=c2vm
      ;;
    dash2)
      C_ID=dash2
      C_NETNSS=(gnt-dash2-n1 gnt-dash2-n2)
      C_VETH_HOSTS=(gntd2n1-host gntd2n2-host)
      C_HOST_BRIDGE=gntd2-br
      C_VETH_NS=gntd2                # same name on every node (cluster-wide master netdev)
      C_BRIDGE=gntbr0
      C_PREFIXLEN=24
      C_HOST_IP=198.18.82.1
      C_NODE_IPS=(198.18.82.2 198.18.82.3)
      C_MASTER_IP=198.18.82.10
      C_INST_NET=198.18.83         # c2vm001..c2vm254 -> 198.18.83.1..254
      C_INST_PREFIX=c2vm
      C_DOMAIN=ganeti.test
      C_CLUSTER=cluster2.ganeti.test
      C_NODES=(node1.cluster2.ganeti.test node2.cluster2.ganeti.test)
      C_STATE=${GANETI_SANDBOX_STATE2:-/var/lib/ganeti-dashboard-dev/ganeti2}
      C_ROOT=$C_STATE/root
      C_SHARED=$C_ROOT/shared-file-storage
      C_HOST_DEV=gntd2-br
      C_RULE_PREF=1182
      C_PEER=dash1
      C_PEER_NET=198.18.80.0/24
      C_PEER_NODES=(node1.ganeti.test)
      C_PEER_NODE_IPS=(198.18.80.2)
      C_PEER_INST_NET=198.18.81
      C_PEER_INST_PREFIX=vm
      local s1=${GANETI_SANDBOX_STATE:-/var/lib/ganeti-dashboard-dev/ganeti}
      [[ "$(realpath -m "$C_STATE")" != "$(realpath -m "$s1")" ]] \
        || die "GANETI_SANDBOX_STATE2 must differ from GANETI_SANDBOX_STATE"
      ;;
    *) die "unknown cluster '$1' (dash1, dash2 or all)" ;;
  esac
  C_NODE=${C_NODES[0]}           # the master
  C_LOG=$C_STATE/sandbox.log
  APT_LOG=$C_LOG
  C_GUEST=$C_STATE/guest         # the kvm guest's kernel and initramfs
  C_LOCK=/run/lock/ganeti-sandbox-$C_ID.lock
  C_RAPI_URL=https://$C_MASTER_IP:$RAPI_PORT
  # The impexpd fix made by an earlier up (peers.sh), so that daemons that
  # seed or exec start see it too; up makes it anew when needed.
  IMPEXPD_BACKPORT=""
  if [[ -s "$C_STATE/impexpd-backport.py" ]]; then IMPEXPD_BACKPORT=$C_STATE/impexpd-backport.py; fi
  node_select 0
}

# node_select I: make node I (0-based) of the cluster the current one.
# C_LIB, C_RUN, C_SRV, C_ETC are Ganeti's directories of that node as seen
# from the host; inside the node's wrapper they are /var/lib/ganeti etc.
# N_NAME and the C_* variables are read by the other files.
# shellcheck disable=SC2034
node_select() {
  N_NAME=${C_NODES[$1]}
  C_NETNS=${C_NETNSS[$1]}
  C_VETH_HOST=${C_VETH_HOSTS[$1]}
  C_NODE_IP=${C_NODE_IPS[$1]}
  if [[ -n "$C_ROOT" ]]; then
    N_ROOT=$C_ROOT/node$(($1 + 1))
    C_LIB=$N_ROOT/lib
    C_RUN=$N_ROOT/run
    C_SRV=$N_ROOT/srv
    C_ETC=$N_ROOT/etc
  else
    N_ROOT=""
    C_LIB=/var/lib/ganeti
    C_RUN=/run/ganeti
    C_SRV=/srv/ganeti
    C_ETC=/etc/ganeti
  fi
}

with_lock() {
  mkdir -p "$(dirname "$C_LOCK")"
  exec 9>"$C_LOCK"
  flock -w 900 9 || die "another $PROG run holds $C_LOCK"
}
