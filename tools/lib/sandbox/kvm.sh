# shellcheck shell=bash
# The kvm hypervisor of dash1 and its guest (sourced by tools/ganeti-sandbox).
#
# dash1 also enables the kvm hypervisor (fake stays first, the default):
# QEMU from Debian under software emulation (TCG; /dev/kvm is not usable
# nested), booting a small guest straight from its state dir, guest/:
# vmlinuz of Debian's cloud kernel (downloaded, not installed) and an
# initramfs of busybox-static with a shell on ttyS0 (serial) and tty1 (VGA),
# banner "ganeti-dashboard guest ready", prompt "guest# ", and acpid, which
# powers off on the ACPI power button (Ganeti's soft shutdown). A KVM
# instance's serial console is the unix socket
# /run/ganeti/kvm-hypervisor/ctrl/NAME.serial; its VNC listens on the node's
# IP (198.18.80.2) at the instance's network_port. QEMU processes outlive
# "down", as instances outlive Ganeti's daemons; "destroy" stops them.
# A first up adds the KVM packages and guest image; later ups only read
# ssconf and the image's stamp (no gnt-* or apt call). The benchmark's
# console part times a guest.

QEMU=/usr/bin/qemu-system-x86_64
BUSYBOX=/bin/busybox
GUEST_KERNEL_META=linux-image-cloud-amd64  # 8250 serial and VGA console built in
GUEST_BANNER='ganeti-dashboard guest ready'
GUEST_PROMPT='guest# '
GUEST_FORMAT=1                  # bump when the way the image is put together changes

# QEMU (no recommends: the BIOS and NIC ROMs are dependencies), a static
# busybox for the guest (its cpio applet also writes the initramfs, so no
# cpio package), xz for compressed kernel modules.
ensure_kvm_packages() {
  local pkgs=()
  [[ -x $QEMU ]] || pkgs+=(qemu-system-x86)
  pkg_installed busybox-static || pkgs+=(busybox-static)
  have xz || pkgs+=(xz-utils)
  [[ ${#pkgs[@]} -eq 0 ]] && return 0
  apt_install "${pkgs[@]}"
  [[ -x $QEMU && -x $BUSYBOX ]] || die "qemu-system-x86 or busybox-static is still missing"
}

# The guest's files. /init runs as pid 1 from the initramfs: it mounts the
# kernel file systems, loads the power button and evdev modules and starts
# acpid, then hands over to busybox init, which keeps a shell on the serial
# port and one on the VGA screen.
guest_init() {
  cat <<'GUEST'
#!/bin/busybox sh
# /init of the ganeti-dashboard sandbox guest (written by tools/ganeti-sandbox)
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
exec </dev/console >/dev/console 2>&1
hostname guest
# Ganeti's soft shutdown presses the ACPI power button: button.ko reports
# it, evdev.ko makes it an input event, acpid runs /etc/acpi/PWRF/00000080.
insmod /lib/modules/button.ko
insmod /lib/modules/evdev.ko
i=0
while [ $i -lt 50 ]; do          # devtmpfs adds the event nodes (bounded wait)
  ok=1
  for e in /sys/class/input/event*; do
    [ -e "$e" ] && [ ! -e "/dev/input/${e##*/}" ] && ok=0
  done
  [ $ok = 1 ] && break
  sleep 0.1
  i=$((i + 1))
done
acpid -l /var/log/acpid.log
exec /sbin/init
GUEST
}

guest_inittab() {
  cat <<'GUEST'
# busybox init of the ganeti-dashboard sandbox guest
ttyS0::respawn:/bin/guest-shell
tty1::respawn:/bin/guest-shell
::ctrlaltdel:/sbin/reboot
GUEST
}

guest_shell() {
  cat <<GUEST
#!/bin/sh
# A shell on this terminal; init starts it again when it exits.
export HOME=/root PS1='$GUEST_PROMPT'
cd /root
# a clean VGA screen (no BIOS lines) for screenshots over VNC
if [ "\$(tty)" = /dev/tty1 ]; then printf '\\033[H\\033[J'; fi
echo
echo '$GUEST_BANNER'
exec /bin/sh
GUEST
}

guest_power_button() {
  cat <<'GUEST'
#!/bin/sh
# acpid runs this on the ACPI power button: a clean poweroff through init.
echo 'ganeti-dashboard guest: power button, powering off' | tee /dev/tty1 >/dev/console
exec poweroff
GUEST
}

# What the initramfs is made of; guest.stamp holds it for the last build.
guest_inputs() {
  printf 'format %s\nkernel %s\nbusybox-static %s\nfiles %s\n' "$GUEST_FORMAT" \
    "$(cat "$C_GUEST/kernel.pkg")" \
    "$(dpkg-query -W -f='${Version}' busybox-static 2>/dev/null || true)" \
    "$( { guest_init; guest_inittab; guest_shell; guest_power_button; } | md5sum | cut -d' ' -f1)"
}

kernel_package() {
  apt-cache depends "$GUEST_KERNEL_META" 2>/dev/null \
    | awk '$1 == "Depends:" && $2 ~ /^linux-image-/ {print $2; exit}' || true
}

# vmlinuz, evdev.ko and button.ko from Debian's cloud kernel into $C_GUEST:
# apt-get download and unpack the three files; nothing is installed. The
# package stays the one first fetched (kernel.pkg); remove $C_GUEST to take
# a newer one.
fetch_guest_kernel() {
  local g=$C_GUEST pkg ver t0 m f deb
  t0=$(now_ms)
  pkg=$(kernel_package)
  if [[ -z "$pkg" ]]; then apt_update; pkg=$(kernel_package); fi
  [[ -n "$pkg" ]] || die "apt knows no kernel package behind $GUEST_KERNEL_META"
  ver=$(apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ {print $2}' || true)
  [[ -n "$ver" && "$ver" != "(none)" ]] || die "apt has no candidate for $pkg"
  log "fetching the guest kernel $pkg $ver (download only, nothing installed)"
  TMPD=$(mktemp -d)
  # apt downloads as _apt when it may write there
  if id -u _apt >/dev/null 2>&1; then chown _apt "$TMPD"; fi
  if ! (cd "$TMPD" && apt-get "${APT_OPTS[@]}" download "$pkg=$ver") >>"$C_LOG" 2>&1; then
    apt_update
    (cd "$TMPD" && apt-get "${APT_OPTS[@]}" download "$pkg=$ver") >>"$C_LOG" 2>&1 \
      || die "apt-get download $pkg failed (see $C_LOG)"
  fi
  deb=("$TMPD"/*.deb)
  [[ ${#deb[@]} == 1 ]] || die "apt-get download $pkg gave no single .deb"
  mkdir "$TMPD/x"
  dpkg-deb --fsys-tarfile "${deb[0]}" \
    | tar -x -C "$TMPD/x" --wildcards './boot/vmlinuz-*' \
        '*/kernel/drivers/input/evdev.ko*' '*/kernel/drivers/acpi/button.ko*'
  f=("$TMPD"/x/boot/vmlinuz-*)
  [[ ${#f[@]} == 1 ]] || die "no single vmlinuz in $pkg"
  rm -rf "$g/modules.new"; mkdir -p "$g/modules.new"
  for m in evdev button; do
    mapfile -t f < <(find "$TMPD/x" -name "$m.ko*")
    [[ ${#f[@]} == 1 ]] || die "no single $m.ko in $pkg"
    # busybox insmod wants them uncompressed
    case "${f[0]}" in
      *.ko)     cp "${f[0]}" "$g/modules.new/$m.ko" ;;
      *.ko.xz)  xz -dc "${f[0]}" >"$g/modules.new/$m.ko" ;;
      *.ko.gz)  gzip -dc "${f[0]}" >"$g/modules.new/$m.ko" ;;
      *.ko.zst) have zstd || die "$m.ko is zstd-compressed and zstd is missing"
                zstd -qdc "${f[0]}" >"$g/modules.new/$m.ko" ;;
      *) die "unexpected module file ${f[0]}" ;;
    esac
  done
  chmod 644 "$g"/modules.new/*.ko
  f=("$TMPD"/x/boot/vmlinuz-*)
  install -m 644 "${f[0]}" "$g/vmlinuz.new"
  rm -rf "$g/modules"; mv "$g/modules.new" "$g/modules"
  mv -f "$g/vmlinuz.new" "$g/vmlinuz"
  rm -rf "$TMPD"; TMPD=""
  printf '%s %s\n' "$pkg" "$ver" | put_file "$g/kernel.pkg" 644 root:root
  log "guest kernel fetched in $(( ($(now_ms) - t0) / 1000 )) s"
}

# initrd.img: busybox (applet links made at boot), the two modules and the
# guest files above, as a gzip'd newc cpio archive written by busybox cpio.
build_guest_initrd() {
  local g=$C_GUEST r t0 size
  t0=$(now_ms)
  TMPD=$(mktemp -d)
  r=$TMPD/root
  mkdir -p "$r"/{bin,sbin,usr/bin,usr/sbin,etc/acpi/PWRF,lib/modules,dev,proc,sys,tmp,root,run,var/log}
  ln -s ../run "$r/var/run"
  chmod 1777 "$r/tmp"; chmod 700 "$r/root"
  install -m 755 "$BUSYBOX" "$r/bin/busybox"
  ln -s busybox "$r/bin/sh"
  mknod -m 600 "$r/dev/console" c 5 1
  install -m 644 "$g"/modules/evdev.ko "$g"/modules/button.ko "$r/lib/modules/"
  guest_init | put_file "$r/init" 755 root:root
  guest_inittab | put_file "$r/etc/inittab" 644 root:root
  guest_shell | put_file "$r/bin/guest-shell" 755 root:root
  guest_power_button | put_file "$r/etc/acpi/PWRF/00000080" 755 root:root
  (cd "$r" && find . | LC_ALL=C sort | "$BUSYBOX" cpio -o -H newc 2>>"$C_LOG") \
    | gzip -9n >"$g/initrd.img.new"
  chmod 644 "$g/initrd.img.new"
  mv -f "$g/initrd.img.new" "$g/initrd.img"
  rm -rf "$TMPD"; TMPD=""
  size=$(stat -c %s "$g/initrd.img")
  log "guest initramfs built ($((size / 1024)) KiB) in $(( ($(now_ms) - t0) / 1000 )) s"
}

# The guest's kernel and initramfs in $C_GUEST, readable by noded (root, in
# the host's mount namespace for dash1). Rebuilt only when an input changes.
ensure_guest_image() {
  local g=$C_GUEST want
  mkdir_as "$g" root:root 755
  if [[ ! -s $g/vmlinuz || ! -s $g/kernel.pkg || ! -s $g/modules/evdev.ko || ! -s $g/modules/button.ko ]]; then
    rm -f "$g/kernel.pkg"
    fetch_guest_kernel
  fi
  want=$(guest_inputs)
  if [[ -s $g/initrd.img && "$(cat "$g/guest.stamp" 2>/dev/null)" == "$want" ]]; then
    return 0
  fi
  build_guest_initrd
  printf '%s\n' "$want" | put_file "$g/guest.stamp" 644 root:root
}

# Cluster-level kvm parameters, as Ganeti stores them in ssconf_hvparams_kvm
# (commas unescaped). Emulation is forced three ways: kvm_flag, kvm_path
# (/usr/bin/kvm would pick KVM whenever /dev/kvm opens) and -accel tcg.
# Ganeti adds root= and console=ttyS0 itself.
kvm_hvparams() {
  printf '%s\n' \
    "kvm_path=$QEMU" \
    "kvm_flag=disabled" \
    "kvm_extra=-accel tcg,tb-size=16" \
    "kernel_path=$C_GUEST/vmlinuz" \
    "initrd_path=$C_GUEST/initrd.img" \
    "root_path=/dev/ram0" \
    "kernel_args=console=tty0 quiet" \
    "serial_console=True" \
    "vnc_bind_address=0.0.0.0" \
    "nic_type=e1000" \
    "disk_type=ide"
}

# Enables kvm beside fake (fake stays first, the default) with the
# parameters above, unless ssconf shows they are set already. Run on the
# master with its daemons up. Sets KVM_CHANGED=1 when it modified the cluster.
ensure_kvm_hypervisor() {
  local kv key val changed=0 hv=() t0
  local -A cur=()
  KVM_CHANGED=0
  if [[ -f "$C_LIB/ssconf_hvparams_kvm" ]]; then
    while IFS= read -r kv; do cur[${kv%%=*}]=${kv#*=}; done <"$C_LIB/ssconf_hvparams_kvm"
  fi
  [[ "$(cat "$C_LIB/ssconf_hypervisor_list" 2>/dev/null)" == $'fake\nkvm' ]] || changed=1
  while IFS= read -r kv; do
    key=${kv%%=*} val=${kv#*=}
    [[ "${cur[$key]-<unset>}" == "$val" ]] || changed=1
    hv+=("$key=${val//,/\\,}")
  done < <(kvm_hvparams)
  [[ $changed == 0 ]] && return 0
  log "enabling the kvm hypervisor beside fake (QEMU emulation, guest from $C_GUEST)"
  t0=$(now_ms)
  printf '== %s gnt-cluster modify (kvm)\n' "$(date -Is)" >>"$C_LOG"
  ns_exec gnt-cluster modify --enabled-hypervisors=fake,kvm \
    -H "kvm:$(IFS=,; printf '%s' "${hv[*]}")" </dev/null >>"$C_LOG" 2>&1 \
    || die "gnt-cluster modify (kvm) failed (see $C_LOG)"
  # read by cmd_up (commands.sh)
  # shellcheck disable=SC2034
  KVM_CHANGED=1
  log "kvm enabled in $(( ($(now_ms) - t0) / 1000 )) s"
}

# QEMU processes of the current node's instances (Ganeti's pid files). They
# outlive "down" like real instances outlive Ganeti's daemons; "destroy"
# stops them.
kvm_pids() {
  local f pid
  for f in "$C_RUN"/kvm-hypervisor/pid/*; do
    pid=$(pidfile_pid "$f")
    is_managed_pid "$pid" 'qemu-system-*' || continue
    sees_our_run "$pid" && in_our_ns "$pid" && printf '%s\n' "$pid"
  done
  return 0
}

stop_instances() {
  local pids=() more i
  for i in "${!C_NODES[@]}"; do
    node_select "$i"
    mapfile -t more < <(kvm_pids)
    pids+=("${more[@]}")
  done
  node_select 0
  [[ ${#pids[@]} -eq 0 ]] && return 0
  log "stopping ${#pids[@]} QEMU process(es): ${pids[*]}"
  KILL_PATTERN='qemu-system-*' kill_pids 15 "${pids[@]}"
}
