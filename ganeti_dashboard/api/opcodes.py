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

"""Which Ganeti opcode a RAPI write starts, for the log line of each job
the dashboard starts: an operator greps Ganeti's job queue and Horizon's
log by the same word. Told by the method and the path alone (RAPI answers
only the job id), as Ganeti 3.0's ``ganeti/rapi/rlib2.py`` maps them; a
write not listed here is logged with its path only.
"""

import re

_NAME = r"[^/]+"
_TABLE = [
    ("POST", r"/2/instances", "OP_INSTANCE_CREATE"),
    ("POST", r"/2/instances-multi-alloc", "OP_INSTANCE_MULTI_ALLOC"),
    ("DELETE", r"/2/instances/N", "OP_INSTANCE_REMOVE"),
    ("PUT", r"/2/instances/N/modify", "OP_INSTANCE_SET_PARAMS"),
    ("PUT", r"/2/instances/N/(startup|shutdown|rename|migrate|failover|"
            r"activate-disks|deactivate-disks)", None),
    ("POST", r"/2/instances/N/(reboot|reinstall|recreate-disks|"
             r"replace-disks)", None),
    ("POST", r"/2/instances/N/disk/\d+/grow", "OP_INSTANCE_GROW_DISK"),
    ("PUT", r"/2/instances/N/prepare-export", "OP_BACKUP_PREPARE"),
    ("PUT", r"/2/instances/N/export", "OP_BACKUP_EXPORT"),
    ("PUT", r"/2/nodes/N/role", "OP_NODE_SET_PARAMS"),
    ("POST", r"/2/nodes/N/modify", "OP_NODE_SET_PARAMS"),
    ("POST", r"/2/nodes/N/evacuate", "OP_NODE_EVACUATE"),
    ("POST", r"/2/nodes/N/migrate", "OP_NODE_MIGRATE"),
    ("POST", r"/2/nodes/N/powercycle", "OP_NODE_POWERCYCLE"),
    ("PUT", r"/2/nodes/N/storage/modify", "OP_NODE_MODIFY_STORAGE"),
    ("PUT", r"/2/nodes/N/storage/repair", "OP_REPAIR_NODE_STORAGE"),
    ("POST", r"/2/groups", "OP_GROUP_ADD"),
    ("DELETE", r"/2/groups/N", "OP_GROUP_REMOVE"),
    ("PUT", r"/2/groups/N/modify", "OP_GROUP_SET_PARAMS"),
    ("PUT", r"/2/groups/N/rename", "OP_GROUP_RENAME"),
    ("PUT", r"/2/groups/N/assign-nodes", "OP_GROUP_ASSIGN_NODES"),
    ("POST", r"/2/networks", "OP_NETWORK_ADD"),
    ("DELETE", r"/2/networks/N", "OP_NETWORK_REMOVE"),
    ("PUT", r"/2/networks/N/modify", "OP_NETWORK_SET_PARAMS"),
    ("PUT", r"/2/networks/N/connect", "OP_NETWORK_CONNECT"),
    ("PUT", r"/2/networks/N/disconnect", "OP_NETWORK_DISCONNECT"),
    ("PUT", r"/2/modify", "OP_CLUSTER_SET_PARAMS"),
    ("PUT", r"/2/redistribute-config", "OP_CLUSTER_REDIST_CONF"),
    ("PUT", r"/2/tags|/2/(instances|nodes|groups|networks)/N/tags",
     "OP_TAGS_SET"),
    ("DELETE", r"/2/tags|/2/(instances|nodes|groups|networks)/N/tags",
     "OP_TAGS_DEL"),
]
_COMPILED = [(method, re.compile("^(?:%s)$" % path.replace("N", _NAME)),
              opcode) for method, path, opcode in _TABLE]


def opcode(method, path):
    """The opcode ``method path`` starts, or None when not known."""
    for wanted, pattern, name in _COMPILED:
        found = pattern.match(path) if wanted == method else None
        if found:
            if name is None:  # the action names it
                action = found.group(1)
                return "OP_INSTANCE_" + action.upper().replace("-", "_")
            return name
    return None
