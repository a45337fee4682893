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

"""How a fake cluster's RAPI answers (see ``fake_rapi``).

Every resource ``RapiClient`` uses, with Ganeti 3.0.2's checks in its order
(credentials late, so wrong ones on an unknown path are a 404; exactly
``application/json``, else 415), its answers, and its quirks: 404 for an
unknown object but 500 on its ``/tags``, ``/console`` and node ``/role``,
200 with null fields for an unknown job, error messages HTML-escaped, the
body ignored by node migrate when the query has arguments, reinstall that
refuses query and body together and drops ``?reason=``. Writes answer a job
id; what the job does is applied when it runs (``fake_rapi_jobs``), so its
errors are job errors, as in Ganeti. Measured on the sandboxes; where a
text could not be measured it is Ganeti's source's.

The instance resources are in ``fake_rapi_instances``, which adds them to
the routes here when imported (``fake_rapi`` imports it).
"""

import base64
import html
import json
import re
import urllib.parse

from ganeti_dashboard.test import fake_rapi_cluster as state
from ganeti_dashboard.test import fake_rapi_jobs as jobs
from ganeti_dashboard.test import fake_rapi_query as query

# status -> (message when Ganeti gives none, "explain")
EXPLAIN = {
    400: ("Bad Request", "Bad request syntax or unsupported method"),
    401: ("Unauthorized", "No permission -- see authorization schemes"),
    403: ("Forbidden", "Request forbidden -- authorization will not help"),
    404: ("Not Found", "Nothing matches the given URI"),
    415: ("Unsupported Media Type", "Entity body in unsupported format"),
    500: ("Internal Server Error", "Server got itself in trouble"),
    501: ("Not Implemented", "Server does not support this operation"),
    502: ("Bad Gateway", "Invalid responses from another server/proxy"),
    503: ("Service Unavailable",
          "The server cannot process the request due to a high load"),
    504: ("Gateway Timeout",
          "The gateway server did not receive a timely response"),
}
MISSING = "list index out of range"  # what /console and /role say for it


class HttpError(Exception):
    """Ganeti answers this status; the message is HTML-escaped on the way."""

    def __init__(self, code, message=None):
        super().__init__(message)
        self.code = code
        self.message = message or EXPLAIN[code][0]


class Raw(bytes):
    """An answer that is not Ganeti's JSON (a proxy's error page, say)."""


class Call:
    """A request as a resource sees it: query arguments (lists, as
    repeated) and the decoded body.
    """

    def __init__(self, query_lists, body, has_body):
        self.query = query_lists
        self.body = body
        self.has_body = has_body

    def arg(self, key, default=None):
        values = self.query.get(key)
        return values[-1] if values else default

    def flag(self, key):
        value = self.arg(key)
        if value in (None, ""):
            return False
        try:
            return bool(int(value))
        except ValueError:
            raise HttpError(400, "Invalid value for '%s': %r" % (key, value))

    def field(self, key, default=None):
        if isinstance(self.body, dict):
            return self.body.get(key, default)
        return default

    @property
    def reason(self):
        return self.arg("reason")


def invalid(op_id, param):
    """Ganeti's 400 for an opcode parameter that is missing or wrong."""
    text = "Parameter '%s.%s' fails validation" % (op_id, param)
    return HttpError(400, "Invalid body parameters: %r"
                     % ((text, "wrong_input"),))


# -- the HTTP exchange ---------------------------------------------------

def answer(cluster, method, path, query_string, headers, body):
    """``(status, body bytes)`` of one request, as Ganeti answers it."""
    fault = cluster.fault_for(path)
    if isinstance(fault, int):
        if cluster.fault_body is not None:
            return fault, Raw(cluster.fault_body.encode())
        return fault, error_body(fault, EXPLAIN[fault][0])
    try:
        value = _dispatch(cluster, method, path, query_string, headers, body)
    except (HttpError, query.QueryError) as exc:
        return exc.code, error_body(exc.code, exc.message)
    return 200, (json.dumps(value) + "\n").encode()


def _dispatch(cluster, method, path, query_string, headers, body):
    found = route(method, path)
    user = _basic_auth(headers.get("Authorization"))
    if user is None:
        raise HttpError(401)
    known = cluster.users.get(user[0])
    if known is None or known[0] != user[1]:
        raise HttpError(404 if found is None else 401)
    if found is None:
        raise HttpError(404)
    handler, params = found
    if handler is None:
        raise HttpError(501, "Method %s is unsupported for path %s"
                        % (method, path))
    if (method != "GET" or getattr(handler, "needs_write", False)) \
            and not path.startswith("/2/query/") and not known[1]:
        raise HttpError(403)
    decoded = None
    if body:
        if headers.get("Content-Type") != "application/json":
            raise HttpError(415)
        try:
            decoded = json.loads(body)
        except ValueError:
            raise HttpError(400, "Unable to parse JSON data")
    call = Call(urllib.parse.parse_qs(query_string, keep_blank_values=True),
                decoded, bool(body))
    return handler(cluster, call, **params)


def error_body(code, message):
    explain = EXPLAIN.get(code, ("", "Error"))[1]
    return (json.dumps({"code": code, "message": html.escape(message),
                        "explain": explain}) + "\n").encode()


def _basic_auth(header):
    if not header or not header.startswith("Basic "):
        return None
    try:
        user, _, password = base64.b64decode(header[6:]).decode() \
            .partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return user, password


_ROUTES = []


def resource(pattern, **methods):
    """Serve ``pattern`` (named groups: URL-quoted parameters)."""
    _ROUTES.append((re.compile("^%s$" % pattern), methods))


def route(method, path):
    """``(handler, params)``, with handler None where the path is served
    but not for this method; None for no such resource.
    """
    for pattern, methods in _ROUTES:
        match = pattern.match(path)
        if match:
            params = {k: urllib.parse.unquote(v)
                      for k, v in match.groupdict().items()}
            return methods.get(method), params
    return None


# -- jobs, as the write resources start them -----------------------------

def submit(cluster, call, ops, library, reason=True):
    """Queue a job of ``ops``; RAPI answers its id."""
    job = cluster.queue.submit(ops, call.reason if reason else None,
                               library if reason else None)
    return job.id


def op(op_id, params, effect=None, dry_run=None):
    return jobs.Op(op_id, params, effect, dry_run)


def running_instance(cluster, name):
    """The instance a running opcode works on, or Ganeti's job error."""
    instance = cluster.find_instance(name)
    if instance is None:
        raise jobs.OpError("Instance '%s' not known" % name,
                           "unknown_entity")
    return instance


def running_node(cluster, name):
    node = cluster.find_node(name)
    if node is None:
        raise jobs.OpError("Node '%s' not known" % name, "unknown_entity")
    return node


def instance_params(cluster, name, **params):
    """Opcode parameters that start with the instance (and its uuid, which
    Ganeti adds once it knows the instance).
    """
    found = cluster.find_instance(name)
    head = {"instance_name": name}
    if found:
        head["instance_uuid"] = found["uuid"]
    return dict(head, **params)


def other_node(cluster, instance, target=None):
    """Where migrate and failover move an instance, and the log line of
    the allocator's choice.
    """
    if target:
        running_node(cluster, target)
        return target, None
    if instance["snodes"]:
        return instance["snodes"][0], None
    for name in state.nice_sorted(cluster.nodes):
        node = cluster.nodes[name]
        if name != instance["pnode"] and node["role"] in ("M", "C", "R") \
                and node["vm_capable"]:
            return name, (" - INFO: Selected nodes for instance %s via "
                          "iallocator hail: %s" % (instance["name"], name))
    # The real text is hail's longer report; this is its end.
    raise jobs.OpError("Can't compute nodes using iallocator 'hail': "
                       "Request failed: Can't find any good node",
                       "wrong_input")


def move(instance, target):
    if instance["snodes"] and target == instance["snodes"][0]:
        instance["snodes"] = [instance["pnode"]]
    instance["pnode"] = target
    state.touch(instance)


# -- the cluster -------------------------------------------------------

resource(r"/version", GET=lambda cluster, call: 2)
resource(r"/2/info", GET=lambda cluster, call: cluster.info_item())
resource(r"/2/features", GET=lambda cluster, call: list(cluster.features))


def _operating_systems(cluster, call):
    """RAPI runs a diagnose job for this and waits for it (so the job
    shows in the queue even when a test holds jobs).
    """
    variants = {}
    for name in cluster.os_names:
        base, _, variant = name.partition("+")
        variants.setdefault(base, []).extend([variant] if variant else [])
    job = cluster.queue.submit([op(
        "OP_OS_DIAGNOSE", {"output_fields": ["name", "variants"],
                           "names": []},
        lambda log: [[base, found] for base, found in variants.items()])])
    cluster.queue.finish(job)
    return list(cluster.os_names)


resource(r"/2/os", GET=_operating_systems)


def _validate_tags(tags):
    for tag in tags:
        if len(tag) > 128:
            raise jobs.OpError("Tag too long (>128 characters)", None,
                               "TagError")
        if not re.match(r"^[\w.+*/:@-]+$", tag):
            raise jobs.OpError("Tag contains invalid characters", None,
                               "TagError")


def added_tags(current, tags):
    _validate_tags(tags)
    return state.nice_sorted(set(current) | set(tags))


def removed_tags(current, tags):
    missing = sorted(set(tags) - set(current))
    if missing:
        raise jobs.OpError("Tag(s) %s not found" % ", ".join(
            "'%s'" % t for t in missing), "unknown_entity")
    return [t for t in current if t not in tags]


def tags_job(cluster, call, op_id, change, name=None):
    """OP_TAGS_SET or OP_TAGS_DEL (``change(current, tags)``: the new
    tags) on the cluster, or on instance ``name``.
    """
    tags = call.query.get("tag", [])
    params = {"kind": "cluster" if name is None else "instance",
              "tags": tags}
    if name is not None:
        params["name"] = name

    def effect(log):
        if name is None:
            cluster.tags = change(cluster.tags, tags)
            return
        instance = running_instance(cluster, name)
        instance["tags"] = change(instance["tags"], tags)
        state.touch(instance)
    library = "tags" if name is None else "instances_name_tags"
    return submit(cluster, call, [op(op_id, params, effect,
                                     call.flag("dry-run"))], library)


resource(r"/2/tags",
         GET=lambda cluster, call: state.nice_sorted(cluster.tags),
         PUT=lambda cluster, call: tags_job(
             cluster, call, "OP_TAGS_SET", added_tags),
         DELETE=lambda cluster, call: tags_job(
             cluster, call, "OP_TAGS_DEL", removed_tags))


# -- nodes, groups, networks ---------------------------------------------

def _listing(items, key, uri, bulk):
    if bulk:
        return items
    return [{key: i[key], "uri": uri % i[key]} for i in items]


def _nodes(cluster, call):
    items = [cluster.node_item(cluster.nodes[n])
             for n in state.nice_sorted(cluster.nodes)]
    if call.flag("bulk"):
        return items
    return [{"id": i["name"], "uri": "/2/nodes/%s" % i["name"]}
            for i in items]


def _node(cluster, call, node):
    found = cluster.find_node(node)
    if found is None:
        raise HttpError(404)
    item = cluster.node_item(found)
    item["secondary_ip"] = item["sip"]  # here, not in the bulk list
    return item


def _node_role(cluster, call, node):
    found = cluster.find_node(node)
    if found is None:
        raise HttpError(500, MISSING)
    return state.ROLES[found["role"]]


# role -> (master_candidate, offline, drained), as rlib2 sets them (None:
# left out of the opcode)
_ROLE_FLAGS = {"master-candidate": (True, None, None),
               "regular": (False, False, False),
               "drained": (None, None, True), "offline": (None, True, None)}
_FLAGS = ("master_candidate", "offline", "drained")


def _set_node_role(cluster, call, node):
    role = call.body
    if role not in _ROLE_FLAGS:
        raise HttpError(400, "Can't set '%s' role" % (role,))
    flags = {flag: value for flag, value in zip(_FLAGS, _ROLE_FLAGS[role])
             if value is not None}
    params = dict({"node_name": node, "force": call.flag("force")},
                  auto_promote=False, **flags)

    def effect(log):
        found = running_node(cluster, node)
        if found["role"] == "M":
            raise jobs.OpError("The master role can be changed only via "
                               "master-failover", "wrong_input")
        found["role"] = {v: k for k, v in state.ROLES.items()}[role]
        state.touch(found)
        return [[flag, str(value)] for flag, value in flags.items()]
    return submit(cluster, call, [op("OP_NODE_SET_PARAMS", params, effect)],
                  "nodes_name_role")


def _moves(cluster, names, target=None):
    """One job per instance that moves it away from its node (migrate if
    it runs, else failover), as an evacuation submits them.
    """
    submitted = []
    for name in names:
        instance = cluster.instances[name]
        live = instance["oper_state"]
        op_id = "OP_INSTANCE_MIGRATE" if live else "OP_INSTANCE_FAILOVER"

        def effect(log, name=name):
            moving = running_instance(cluster, name)
            where, said = other_node(cluster, moving, target)
            if said:
                log(said)
            move(moving, where)
        job = cluster.queue.submit(
            [op(op_id, instance_params(cluster, name), effect)])
        submitted.append([True, job.id])
    return submitted


def _evacuate(cluster, call, node):
    mode = call.field("mode")
    if mode not in ("primary-only", "secondary-only", "all"):
        raise invalid("OP_NODE_EVACUATE", "mode")
    params = {"node_name": node, "mode": mode,
              "early_release": bool(call.field("early_release"))}
    for key in ("iallocator", "remote_node"):
        if call.field(key) is not None:
            params[key] = call.field(key)

    def effect(log):
        found = running_node(cluster, node)
        if mode == "all":
            raise jobs.OpError(
                "Due to an issue with the iallocator interface it is not "
                "possible to evacuate all instances at once; specify "
                "explicitly whether to evacuate primary or secondary "
                "instances", "wrong_input")
        item = cluster.node_item(found)
        if mode == "primary-only":
            return {"jobs": _moves(cluster, item["pinst_list"])}
        return {"jobs": _replace_secondaries(
            cluster, item["sinst_list"], found["name"],
            call.field("remote_node"))}
    return submit(cluster, call, [op("OP_NODE_EVACUATE", params, effect,
                                     call.flag("dry-run"))],
                  "nodes_name_evacuate")


def _replace_secondaries(cluster, names, old, remote):
    submitted = []
    for name in names:
        def effect(log, name=name):
            instance = running_instance(cluster, name)
            target = remote or next(
                (n for n in state.nice_sorted(cluster.nodes)
                 if n not in (old, instance["pnode"])), None)
            if target is None:
                raise jobs.OpError("Can't find any good node", "wrong_input")
            instance["snodes"] = [target if n == old else n
                                  for n in instance["snodes"]]
            state.touch(instance)
        job = cluster.queue.submit([op(
            "OP_INSTANCE_REPLACE_DISKS", instance_params(
                cluster, name, mode="replace_new_secondary",
                remote_node=remote), effect)])
        submitted.append([True, job.id])
    return submitted


def _migrate_node(cluster, call, node):
    # rlib2 reads the body only when the query string is empty.
    source = {k: v[-1] for k, v in call.query.items()} if call.query \
        else (call.body or {})
    params = {"node_name": node, "mode": source.get("mode"),
              "live": None, "target_node": source.get("target_node"),
              "iallocator": source.get("iallocator"),
              "ignore_ipolicy": False, "allow_runtime_changes": True}

    def effect(log):
        found = running_node(cluster, node)
        names = [n for n in cluster.node_item(found)["pinst_list"]
                 if cluster.instances[n]["oper_state"]]
        return {"jobs": _moves(cluster, names, params["target_node"])}
    return submit(cluster, call, [op("OP_NODE_MIGRATE", params, effect,
                                     call.flag("dry-run"))],
                  "nodes_name_migrate")


resource(r"/2/nodes", GET=_nodes)
resource(r"/2/nodes/(?P<node>[^/]+)", GET=_node)
resource(r"/2/nodes/(?P<node>[^/]+)/role", GET=_node_role,
         PUT=_set_node_role)
resource(r"/2/nodes/(?P<node>[^/]+)/evacuate", POST=_evacuate)
resource(r"/2/nodes/(?P<node>[^/]+)/migrate", POST=_migrate_node)


def _running_group(cluster, name):
    group = cluster.groups.get(name)
    if group is None:
        raise jobs.OpError("Group '%s' not found" % name, "unknown_entity")
    return group


def _group(cluster, call, group):
    if group not in cluster.groups:
        raise HttpError(404, "Nothing matches the given URI")
    return cluster.group_item(cluster.groups[group])


def _create_group(cluster, call):
    name = call.field("name")
    if not isinstance(name, str) or not name:
        raise invalid("OP_GROUP_ADD", "group_name")
    policy = call.field("alloc_policy")
    params = {"group_name": name}
    if policy is not None:
        params["alloc_policy"] = policy

    def effect(log):
        if name in cluster.groups:
            raise jobs.OpError(
                "Desired group name '%s' already exists as a node group "
                "(UUID: %s)" % (name, cluster.groups[name]["uuid"]),
                "already_exists")
        cluster.add_group(name, ctime=state.now(),
                          **({"alloc_policy": policy} if policy else {}))
    return submit(cluster, call, [op("OP_GROUP_ADD", params, effect,
                                     call.flag("dry-run"))], "groups")


def _members(cluster, group):
    return state.nice_sorted(n for n, d in cluster.nodes.items()
                             if d["group.uuid"] == group["uuid"])


def _delete_group(cluster, call, group):
    def effect(log):
        found = _running_group(cluster, group)
        members = [cluster.nodes[n]["uuid"] for n in _members(cluster, found)]
        if members:
            raise jobs.OpError(
                "Group '%s' not empty, has the following nodes: %s"
                % (group, ", ".join(sorted(members))), "wrong_state")
        if len(cluster.groups) == 1:
            raise jobs.OpError("Group '%s' is the only group, cannot be "
                               "removed" % group, "wrong_state")
        del cluster.groups[group]
    return submit(cluster, call, [op("OP_GROUP_REMOVE",
                                     {"group_name": group}, effect,
                                     call.flag("dry-run"))], "groups_name")


def _rename_group(cluster, call, group):
    new_name = call.field("new_name")
    if not isinstance(new_name, str) or not new_name:
        raise invalid("OP_GROUP_RENAME", "new_name")

    def effect(log):
        found = _running_group(cluster, group)
        if new_name in cluster.groups:
            raise jobs.OpError(
                "Desired new name '%s' clashes with existing node group"
                % new_name, "already_exists")
        del cluster.groups[group]
        found["name"] = new_name
        state.touch(found)
        cluster.groups[new_name] = found
        return new_name
    return submit(cluster, call, [op(
        "OP_GROUP_RENAME", {"group_name": group, "new_name": new_name},
        effect, call.flag("dry-run"))], "groups_name_rename")


_ALLOC = ("preferred", "last_resort", "unallocable")


def _updated(old, new):
    """Ganeti's GetUpdatedParams: "default" removes a key."""
    merged = dict(old)
    for key, value in new.items():
        if value == "default":
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def _modify_group(cluster, call, group):
    body = call.body if isinstance(call.body, dict) else {}
    renamed = {"ipolicy": "ipolicy", "diskparams": "diskparams",
               "ndparams": "ndparams", "alloc_policy": "alloc_policy"}
    unknown = sorted(set(body) - set(renamed))
    if unknown:
        raise HttpError(400, "Invalid body parameters: unknown %s"
                        % ", ".join(unknown))
    if "alloc_policy" in body and body["alloc_policy"] not in _ALLOC:
        raise invalid("OP_GROUP_SET_PARAMS", "alloc_policy")
    params = dict({"group_name": group}, **body)

    def effect(log):
        found = _running_group(cluster, group)
        result = []
        if body.get("ndparams"):
            found["custom_ndparams"] = _updated(found["custom_ndparams"],
                                                body["ndparams"])
            result.append(["ndparams", str(found["custom_ndparams"])])
        if body.get("diskparams"):
            merged = dict(found["custom_diskparams"])
            for template, values in body["diskparams"].items():
                merged[template] = _updated(merged.get(template, {}),
                                            values)
            found["custom_diskparams"] = merged
            result.append(["diskparams", str(merged)])
        if body.get("alloc_policy"):
            found["alloc_policy"] = body["alloc_policy"]
        if body.get("ipolicy"):
            found["custom_ipolicy"] = _updated(found["custom_ipolicy"],
                                               body["ipolicy"])
        state.touch(found)
        return result
    # RAPI's modify takes no dry-run.
    return submit(cluster, call, [op("OP_GROUP_SET_PARAMS", params, effect)],
                  "groups_name_modify")


def _assign_nodes(cluster, call, group):
    nodes = call.field("nodes")
    if not isinstance(nodes, list):
        raise invalid("OP_GROUP_ASSIGN_NODES", "nodes")
    # Ganeti adds the nodes' uuids as it checks the opcode.
    params = {"group_name": group, "nodes": nodes,
              "node_uuids": [cluster.nodes[n]["uuid"] for n in nodes
                             if n in cluster.nodes],
              "force": call.flag("force")}

    def effect(log):
        found = _running_group(cluster, group)
        for name in nodes:
            running_node(cluster, name)["group.uuid"] = found["uuid"]
    return submit(cluster, call, [op("OP_GROUP_ASSIGN_NODES", params, effect,
                                     call.flag("dry-run"))],
                  "groups_name_assign_nodes")


def _group_tags_job(cluster, call, group, op_id, change):
    tags = call.query.get("tag", [])

    def effect(log):
        found = _running_group(cluster, group)
        found["tags"] = change(found["tags"], tags)
        state.touch(found)
    return submit(cluster, call, [op(op_id, {
        "kind": "nodegroup", "name": group, "tags": tags}, effect,
        call.flag("dry-run"))], "groups_name_tags")


def _group_tags(cluster, call, group):
    if group not in cluster.groups:
        raise HttpError(500, str(("NodeGroup name %s not found" % group,
                                  "unknown_entity")))
    return state.nice_sorted(cluster.groups[group]["tags"])


resource(r"/2/groups", GET=lambda cluster, call: _listing(
    [cluster.group_item(cluster.groups[g])
     for g in state.nice_sorted(cluster.groups)],
    "name", "/2/groups/%s", call.flag("bulk")), POST=_create_group)
resource(r"/2/groups/(?P<group>[\w.-]+)", GET=_group, DELETE=_delete_group)
resource(r"/2/groups/(?P<group>[\w.-]+)/rename", PUT=_rename_group)
resource(r"/2/groups/(?P<group>[\w.-]+)/modify", PUT=_modify_group)
resource(r"/2/groups/(?P<group>[\w.-]+)/assign-nodes", PUT=_assign_nodes)
resource(r"/2/groups/(?P<group>[\w.-]+)/tags", GET=_group_tags,
         PUT=lambda cluster, call, group: _group_tags_job(
             cluster, call, group, "OP_TAGS_SET", added_tags),
         DELETE=lambda cluster, call, group: _group_tags_job(
             cluster, call, group, "OP_TAGS_DEL", removed_tags))
# /2/networks and below: fake_rapi_networks.


# -- jobs and queries ----------------------------------------------------

_NO_JOB = ("ops", "status", "summary", "opstatus", "received_ts",
           "start_ts", "end_ts", "oplog", "opresult")


def _jobs(cluster, call):
    found = [cluster.queue.jobs[i] for i in sorted(cluster.queue.jobs)]
    if call.flag("bulk"):
        return [job.as_dict() for job in found]
    return [{"id": job.id, "uri": "/2/jobs/%d" % job.id} for job in found]


def _job(cluster, call, job_id):
    job = cluster.queue.jobs.get(int(job_id))
    if job is None:
        return dict({"id": int(job_id)}, **{key: None for key in _NO_JOB})
    return job.as_dict()


def _query_items(cluster, resource_name):
    if resource_name == "instance":
        return list(cluster.instances.values())
    if resource_name == "node":
        return [cluster.node_item(n, with_group=True)
                for n in cluster.nodes.values()]
    if resource_name == "job":
        return [job.fields() for job in cluster.queue.jobs.values()]
    return []


def _query_exports(cluster, fields):
    """``/2/query/export`` as Ganeti 3.0.2 answers it: one row per export,
    a row with no data (status 2) for a node that has no export directory
    (none was ever written there, or it cannot be asked), and no row for a
    node whose export directory is empty.
    """
    known = {"node": ("Node", "Node name"), "export": ("Export",
                                                       "Export name")}
    for name in fields:
        if name not in known:
            raise HttpError(500, "Can't find field named '%s'" % name)
    rows = []
    for node in state.nice_sorted(cluster.nodes):
        names = cluster.exports.get(node)
        for export in [None] if names is None else sorted(names):
            values = {"node": [0, node],
                      "export": [0, export] if export else [2, None]}
            rows.append([values[f] for f in fields])
    return {"data": rows, "fields": [
        {"name": f, "title": known[f][0], "kind": "text",
         "doc": known[f][1]} for f in fields]}


def _query(cluster, call, resource_name):
    if call.has_body:
        if not isinstance(call.body, dict) or "fields" not in call.body:
            raise HttpError(400, "Missing 'fields' query argument")
        fields, qfilter = call.body["fields"], call.body.get("filter")
    else:
        if call.arg("fields") is None:
            raise HttpError(400, "Missing 'fields' query argument")
        fields, qfilter = call.arg("fields").split(","), None
    if resource_name == "export":
        return _query_exports(cluster, fields)
    return query.run(resource_name, _query_items(cluster, resource_name),
                     fields, qfilter)


def _query_fields(cluster, call, resource_name):
    if resource_name not in query.NAME_FIELD:
        raise HttpError(404)
    names = call.arg("fields")
    names = names.split(",") if names else list(
        query.fake_rapi_data.FIELDS[resource_name])
    return {"fields": [query.definition(resource_name, n) for n in names]}


resource(r"/2/jobs", GET=_jobs)
resource(r"/2/jobs/(?P<job_id>\d+)", GET=_job,
         DELETE=lambda cluster, call, job_id: cluster.queue.cancel(
             int(job_id)))
resource(r"/2/query/(?P<resource_name>[^/]+)", GET=_query, PUT=_query)
resource(r"/2/query/(?P<resource_name>[^/]+)/fields", GET=_query_fields)
