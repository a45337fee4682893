# Copyright 2026 The ganeti-dashboard Authors
#
#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

"""Seed a sandbox Ganeti cluster with many instances by writing its config.

Called by ``tools/ganeti-sandbox seed|unseed`` while the master's daemons
are stopped (wconfd holds the configuration in memory and would overwrite
the file). It adds (or removes) diskless ``fake``-hypervisor instances in
``config.data`` exactly as Ganeti 3.0 writes them, and for each running one
the file the fake hypervisor takes for a running instance
(``/run/ganeti/fake-hypervisor/<name>`` on its primary node). Before the
file is replaced, Ganeti's own configuration check (``VerifyConfig`` of a
detached ``ConfigWriter``, the one ``cfgupgrade`` runs) must find no error
that the old configuration did not have.

Subcommands:
  owners   print ``PROJECT_ID:USER_ID`` for the dev stack's Keystone
           projects (demo, other) and their member users; run it before
           the daemons stop
  seed     add COUNT instances named PREFIX-NNNNN.DOMAIN, numbered on from
           the highest one there is
  unseed   remove every instance named PREFIX-<digits>.DOMAIN

Run with the system python3: it imports Ganeti's own modules
(/usr/share/ganeti/3.0) for the check. Keystone is read with urllib only.
"""

import argparse
import json
import math
import os
import random
import re
import sys
import time
import urllib.request
import uuid

GANETI_LIB = "/usr/share/ganeti/3.0"
PROJECTS = ("demo", "other")


def log(msg):
    sys.stderr.write("sandbox_seed: %s\n" % msg)


# ------------------------------------------------------------------ Keystone

def _keystone(url, method, path, token=None, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("X-Auth-Token", token)
    with urllib.request.urlopen(req, timeout=15) as answer:
        return answer.headers.get("X-Subject-Token"), json.load(answer)


def keystone_owners(url, password):
    """[(project id, member user id or None)] of the dev stack's projects."""
    token, _ = _keystone(url, "POST", "/auth/tokens", body={"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": "admin", "domain": {"id": "default"},
            "password": password}}},
        "scope": {"project": {"name": "admin",
                              "domain": {"id": "default"}}}}})
    owners = []
    for name in PROJECTS:
        found = _keystone(url, "GET", "/projects?name=%s" % name,
                          token)[1]["projects"]
        if not found:
            raise SystemExit("Keystone at %s has no project %r" % (url, name))
        users = _keystone(url, "GET", "/users?name=%s-member" % name,
                          token)[1]["users"]
        owners.append((found[0]["id"], users[0]["id"] if users else None))
    return owners


def parse_owner(text):
    project, _, user = text.partition(":")
    if not project:
        raise argparse.ArgumentTypeError("empty project id in %r" % text)
    return project, user or None


def owner_tags(owner):
    if owner is None:
        return []
    project, user = owner
    tags = ["openstack:project:%s" % project]
    if user:
        tags.append("openstack:user:%s" % user)
    return tags


# ------------------------------------------------------------------ config

def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def write_atomic(path, data):
    """Write data as Ganeti does (compact JSON), keeping owner and mode."""
    st = os.stat(path)
    tmp = "%s.seed-%d" % (path, os.getpid())
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, separators=(",", ":"))
            f.flush()
            os.fchown(f.fileno(), st.st_uid, st.st_gid)
            os.fchmod(f.fileno(), st.st_mode & 0o7777)
            os.fsync(f.fileno())
        os.rename(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def ganeti_errors(data):
    """Ganeti's own consistency check of a configuration (offline)."""
    if GANETI_LIB not in sys.path:
        sys.path.insert(0, GANETI_LIB)
    from ganeti import config  # pylint: disable=import-outside-toplevel
    from ganeti import objects  # pylint: disable=import-outside-toplevel
    detached = config.DetachedConfig(
        objects.ConfigData.FromDict(json.loads(json.dumps(data))))
    return set(detached.VerifyConfig())


def name_re(prefix, domain):
    return re.compile(r"^%s-(\d+)\.%s$" % (re.escape(prefix), re.escape(domain)))


def fake_dirs(pairs):
    """NODE=DIR arguments -> {node name: fake hypervisor dir on this host}."""
    dirs = {}
    for pair in pairs:
        node, sep, path = pair.partition("=")
        if not sep or not os.path.isdir(path):
            raise SystemExit("--fake-dir %r: want NODE=DIR of an existing dir"
                             % pair)
        dirs[node] = path
    return dirs


def new_mac(prefix, taken):
    while True:
        n = random.getrandbits(24)
        mac = "%s:%02x:%02x:%02x" % (prefix, n >> 16, (n >> 8) & 255, n & 255)
        if mac not in taken:
            taken.add(mac)
            return mac


def is_running(k, share):
    """The k-th of a batch runs when it takes the running count one up:
    exactly round(share * n) of n run, spread evenly.
    """
    return math.floor((k + 1) * share + 1e-9) > math.floor(k * share + 1e-9)


def seed(cfg, args, dirs):
    """Adds the instances to cfg; returns [(name, node name, running)]."""
    now = time.time()
    cluster = cfg["cluster"]
    pattern = name_re(args.prefix, args.domain)
    names = {i["name"] for i in cfg["instances"].values()}
    start = 1 + max([int(m.group(1)) for m in map(pattern.match, names) if m]
                    or [0])
    width = max(5, len(str(start + args.count - 1)))
    nodes = sorted((n for n in cfg["nodes"].values()
                    if n.get("vm_capable", True) and not n["offline"]
                    and not n["drained"]), key=lambda n: n["name"])
    if not nodes:
        raise SystemExit("the cluster has no node that can take instances")
    missing = [n["name"] for n in nodes if n["name"] not in dirs]
    if missing:
        raise SystemExit("no --fake-dir for node(s) %s" % ", ".join(missing))
    os_name = args.os
    macs = {nic["mac"] for i in cfg["instances"].values() for nic in i["nics"]}
    owners = list(args.owner) + [None]        # the last share is unowned
    made = []
    for k in range(args.count):
        index = start + k
        name = "%s-%0*d.%s" % (args.prefix, width, index, args.domain)
        if name in names:
            raise SystemExit("instance %s exists already" % name)
        # one block per node: each gets the same mix of states and owners
        node = nodes[k * len(nodes) // args.count]
        running = is_running(k, args.running_share)
        inst_uuid = str(uuid.uuid4())
        cfg["instances"][inst_uuid] = {
            "name": name,
            "primary_node": node["uuid"],
            "os": os_name,
            "hypervisor": "fake",
            "hvparams": {},
            "beparams": {"minmem": args.memory, "maxmem": args.memory},
            "osparams": {},
            "osparams_private": {},
            "admin_state": "up" if running else "down",
            "admin_state_source": "admin",
            "nics": [{"mac": new_mac(cluster["mac_prefix"], macs),
                      "nicparams": {}, "uuid": str(uuid.uuid4())}],
            "disks": [],
            "disks_active": running,
            "ctime": now,
            "mtime": now,
            "uuid": inst_uuid,
            "serial_no": 1,
            "tags": owner_tags(owners[index % len(owners)]),
        }
        made.append((name, node["name"], running))
    return made


def mark_running(made, dirs, vcpus):
    """The fake hypervisor's file of each running instance: id, memory,
    vcpus. Memory 0, so that thousands of running fake instances leave the
    node's free memory (which real starts are checked against) as it is.
    """
    for name, node_name, running in made:
        if running:
            path = os.path.join(dirs[node_name], name)
            with open(path, "w") as f:
                f.write("0\n0\n%d\n" % vcpus)
            os.chmod(path, 0o600)


def unseed(cfg, args):
    """Removes the seeded instances from cfg (and their disks, should a job
    have given them any); returns their names.
    """
    pattern = name_re(args.prefix, args.domain)
    gone = [u for u, i in cfg["instances"].items() if pattern.match(i["name"])]
    names = []
    for inst_uuid in gone:
        inst = cfg["instances"].pop(inst_uuid)
        names.append(inst["name"])
        for disk in inst.get("disks", []):
            cfg.get("disks", {}).pop(disk, None)
    return names


def mark_stopped(args, dirs):
    """Removes the running files of seeded names on every node, also those
    of instances the config no longer has (an interrupted seed).
    """
    pattern = name_re(args.prefix, args.domain)
    n = 0
    for path in dirs.values():
        for name in os.listdir(path):
            if pattern.match(name):
                os.unlink(os.path.join(path, name))
                n += 1
    return n


def bump(cfg):
    cfg["serial_no"] = cfg.get("serial_no", 0) + 1
    cfg["mtime"] = time.time()


def cmd_change(args):
    t0 = time.time()
    dirs = fake_dirs(args.fake_dir)
    cfg = load(args.config)
    before = ganeti_errors(cfg) if args.check else set()
    if args.cmd == "seed":
        made = seed(cfg, args, dirs)
        running = sum(1 for _, _, r in made if r)
        what = "seeded %d instance(s) (%d running, %d stopped)" % (
            len(made), running, len(made) - running)
        if made:
            what += ", %s .. %s" % (made[0][0], made[-1][0])
        changed = bool(made)
    else:
        names = unseed(cfg, args)
        what = "removed %d seeded instance(s)" % len(names)
        changed = bool(names)
    if not changed:
        if args.cmd == "unseed":
            what += " and %d running file(s) left" % mark_stopped(args, dirs)
        log(what + "; configuration unchanged")
        return 0
    bump(cfg)
    t1 = time.time()
    if args.check:
        new = ganeti_errors(cfg) - before
        if new:
            for msg in sorted(new)[:20]:
                log("Ganeti's check: %s" % msg)
            raise SystemExit("Ganeti's configuration check failed; "
                             "config.data left as it was")
    t2 = time.time()
    write_atomic(args.config, cfg)
    t3 = time.time()
    # Only after the config is written: a running file without its instance
    # would be an orphan that verify reports.
    if args.cmd == "seed":
        mark_running(made, dirs,
                     cfg["cluster"]["beparams"]["default"].get("vcpus", 1))
    else:
        mark_stopped(args, dirs)
    log("%s; %d instance(s) in the config now, serial_no %d (build %.1f s, "
        "check %.1f s, write %.1f s, running files %.1f s)" % (
            what, len(cfg["instances"]), cfg["serial_no"],
            t1 - t0, t2 - t1, t3 - t2, time.time() - t3))
    return 0


def cmd_owners(args):
    for project, user in keystone_owners(args.keystone, args.password):
        print("%s:%s" % (project, user or ""))
    return 0


def cmd_count(args):
    cfg = load(args.config)
    pattern = name_re(args.prefix, args.domain)
    print(sum(1 for i in cfg["instances"].values() if pattern.match(i["name"])))
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("owners")
    p.add_argument("--keystone", default="http://127.0.0.1:5000/v3")
    p.add_argument("--password", default="adminpw")
    p.set_defaults(func=cmd_owners)
    for name in ("seed", "unseed", "count"):
        p = sub.add_parser(name)
        p.add_argument("--config", required=True,
                       help="the master's config.data")
        p.add_argument("--prefix", default="seed")
        p.add_argument("--domain", required=True)
        if name == "count":
            p.set_defaults(func=cmd_count)
            continue
        p.add_argument("--fake-dir", action="append", default=[],
                       metavar="NODE=DIR",
                       help="the node's fake-hypervisor dir (one per node)")
        p.add_argument("--no-check", dest="check", action="store_false",
                       help="skip Ganeti's configuration check")
        p.set_defaults(func=cmd_change)
        if name == "seed":
            p.add_argument("--count", type=int, required=True)
            p.add_argument("--running-share", type=float, default=0.5)
            p.add_argument("--owner", action="append", default=[],
                           type=parse_owner, metavar="PROJECT_ID[:USER_ID]")
            p.add_argument("--memory", type=int, default=128)
            p.add_argument("--os", default="noop")
    args = parser.parse_args(argv)
    if args.cmd == "seed":
        if args.count < 0 or not 0 <= args.running_share <= 1:
            parser.error("COUNT must be >= 0 and --running-share in [0, 1]")
        if not re.match(r"^[a-z][a-z0-9-]*$", args.prefix):
            parser.error("--prefix: lower-case letters, digits and '-'")
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
