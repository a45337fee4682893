# shellcheck shell=bash
# sshd of each node of a cluster of several nodes (dash2), and root's key
# pair, for gnt-node add and Ganeti's own ssh (sourced by
# tools/ganeti-sandbox).

SSHD=/usr/sbin/sshd

# One key pair for root on all nodes of the cluster; each node's private
# /root/.ssh holds it and accepts it from the cluster's subnet only.
ensure_ssh_keys() {
  local key=$C_ROOT/ssh-key/id_ed25519 pub
  if [[ ! -s $key || ! -s $key.pub ]]; then
    mkdir -p "$C_ROOT/ssh-key"; chmod 700 "$C_ROOT/ssh-key"
    rm -f "$key" "$key.pub"
    ssh-keygen -q -t ed25519 -N '' -C "root@$C_CLUSTER ($PROG)" -f "$key" >>"$C_LOG" 2>&1
  fi
  pub=$(cat "$key.pub")
  put_file "$N_ROOT/home/.ssh/id_ed25519" 600 root:root <"$key"
  put_file "$N_ROOT/home/.ssh/id_ed25519.pub" 644 root:root <<<"$pub"
  put_file "$N_ROOT/home/.ssh/authorized_keys" 600 root:root \
    <<<"from=\"${C_HOST_IP%.*}.*\" $pub"
}

sshd_config_content() {
  cat <<EOF
# written by $PROG: sshd of $N_NAME ($C_ID), for gnt-node add and Ganeti's ssh
ListenAddress $C_NODE_IP:22
PidFile $N_ROOT/ssh/sshd.pid
HostKey /etc/ssh/ssh_host_rsa_key
PermitRootLogin prohibit-password
AllowUsers root
PubkeyAuthentication yes
AuthorizedKeysFile .ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
PrintMotd no
PrintLastLog no
DisableForwarding yes
PermitUserEnvironment no
EOF
}

# sshd of the current node, started through its wrapper, so that sessions run
# with the node's hostname, netns and private directories (/root/.ssh too).
# The host key is the shared /etc/ssh one that gnt-cluster init put into
# Ganeti's known_hosts. Adds to STARTED_DAEMONS.
ensure_sshd() {
  local cfg=$N_ROOT/ssh/sshd_config pidf=$N_ROOT/ssh/sshd.pid pid content changed=0
  content=$(sshd_config_content)
  if [[ "$(cat "$cfg" 2>/dev/null)" != "$content" ]]; then
    printf '%s\n' "$content" | put_file "$cfg" 600 root:root
    changed=1
  fi
  pid=$(pidfile_pid "$pidf")
  if is_managed_pid "$pid" sshd && sees_our_run "$pid"; then
    if [[ $changed == 0 ]] && in_our_ns "$pid"; then return 0; fi
    kill_pids 5 "$pid"
  fi
  rm -f "$pidf"
  mkdir_as /run/sshd root:root 755      # sshd's privilege separation directory
  printf '== %s start sshd on %s\n' "$(date -Is)" "$N_NAME" >>"$C_LOG"
  ns_exec "$SSHD" -f "$cfg" -E "$N_ROOT/ssh/sshd.log" </dev/null >>"$C_LOG" 2>&1 \
    || die "could not start sshd on $N_NAME (see $N_ROOT/ssh/sshd.log)"
  for _ in $(seq 1 50); do
    pid=$(pidfile_pid "$pidf")
    is_managed_pid "$pid" sshd && break
    sleep 0.1
  done
  is_managed_pid "$pid" sshd || die "sshd on $N_NAME did not start (see $N_ROOT/ssh/sshd.log)"
  STARTED_DAEMONS=$(( ${STARTED_DAEMONS:-0} + 1 ))
}
