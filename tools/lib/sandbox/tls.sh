# shellcheck shell=bash
# Each cluster's own CA and the RAPI certificate it signs (sourced by
# tools/ganeti-sandbox): made once, made again when invalid, expiring
# within 30 days or (the certificate) not naming every address.

tls_sans() {
  local i out
  out="DNS:$C_CLUSTER"
  for i in "${!C_NODES[@]}"; do out+=",DNS:${C_NODES[$i]}"; done
  out+=",DNS:localhost,IP:$C_MASTER_IP"
  for i in "${!C_NODES[@]}"; do out+=",IP:${C_NODE_IPS[$i]}"; done
  printf '%s,IP:127.0.0.1' "$out"
}

cert_pubkey() { openssl x509 -noout -pubkey -in "$1" 2>/dev/null; }
key_pubkey()  { openssl pkey -pubout -in "$1" 2>/dev/null; }

ca_valid() {
  local ca=$C_STATE/ca.pem key=$C_STATE/ca.key
  [[ -s $ca && -s $key ]] || return 1
  openssl x509 -noout -checkend 2592000 -in "$ca" >/dev/null 2>&1 || return 1
  [[ "$(cert_pubkey "$ca")" == "$(key_pubkey "$key")" ]]
}

rapi_cert_valid() {
  local pem=$C_LIB/rapi.pem sans got
  [[ -s $pem ]] || return 1
  openssl verify -CAfile "$C_STATE/ca.pem" "$pem" >/dev/null 2>&1 || return 1
  openssl x509 -noout -checkend 2592000 -in "$pem" >/dev/null 2>&1 || return 1
  [[ "$(cert_pubkey "$pem")" == "$(key_pubkey "$pem")" ]] || return 1
  got=$(openssl x509 -noout -ext subjectAltName -in "$pem" 2>/dev/null | tail -n +2 | tr -d ' \n')
  sans=$(tls_sans | sed 's/IP:/IPAddress:/g')
  [[ "$got" == "$sans" ]]
}

make_ca() {
  log "creating sandbox CA in $C_STATE"
  umask 077
  cat >"$TMPD/ca.cnf" <<EOF
[req]
distinguished_name = dn
prompt = no
x509_extensions = v3_ca
[dn]
CN = ganeti-dashboard sandbox CA ($C_ID)
[v3_ca]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF
  openssl req -x509 -new -newkey rsa:2048 -nodes -sha256 -days 3650 \
    -config "$TMPD/ca.cnf" -keyout "$TMPD/ca.key" -out "$TMPD/ca.pem" >>"$C_LOG" 2>&1
  install -m 600 "$TMPD/ca.key" "$C_STATE/ca.key"
  install -m 644 "$TMPD/ca.pem" "$C_STATE/ca.pem"
  umask 022
}

make_rapi_cert() {
  log "creating RAPI certificate ($(tls_sans))"
  umask 077
  cat >"$TMPD/srv.cnf" <<EOF
[req]
distinguished_name = dn
prompt = no
[dn]
CN = $C_CLUSTER
[srv]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = $(tls_sans)
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer
EOF
  openssl req -new -newkey rsa:2048 -nodes -sha256 -config "$TMPD/srv.cnf" \
    -keyout "$TMPD/srv.key" -out "$TMPD/srv.csr" >>"$C_LOG" 2>&1
  openssl x509 -req -sha256 -days 825 -in "$TMPD/srv.csr" \
    -CA "$C_STATE/ca.pem" -CAkey "$C_STATE/ca.key" -set_serial "0x$(openssl rand -hex 16)" \
    -extfile "$TMPD/srv.cnf" -extensions srv -out "$TMPD/srv.pem" >>"$C_LOG" 2>&1
  cat "$TMPD/srv.key" "$TMPD/srv.pem" >"$TMPD/rapi.pem"
  install -m 440 -o gnt-rapi -g gnt-masterd "$TMPD/rapi.pem" "$C_LIB/rapi.pem.new"
  mv -f "$C_LIB/rapi.pem.new" "$C_LIB/rapi.pem"
  umask 022
}

# Sets RAPI_CERT_CHANGED=1 when rapi.pem was replaced.
ensure_tls() {
  RAPI_CERT_CHANGED=0
  TMPD=$(mktemp -d)
  if ! ca_valid; then make_ca; fi
  # RAPI_CERT_CHANGED is read by cmd_up (commands.sh)
  # shellcheck disable=SC2034
  if ! rapi_cert_valid; then make_rapi_cert; RAPI_CERT_CHANGED=1; fi
  rm -rf "$TMPD"; TMPD=""
}
