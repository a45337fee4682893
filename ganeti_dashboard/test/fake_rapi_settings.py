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

"""The fake RAPI's cluster settings (``/2/modify``,
``/2/redistribute-config``) and job filters (``/2/filters``), answering as
Ganeti 3.0.2 did on the sandboxes (see ``api/cluster_settings.py`` and
``api/filters.py`` for what was measured).
"""

import copy
import time
import uuid as uuidlib

from ganeti_dashboard.test import fake_rapi_jobs as jobs
from ganeti_dashboard.test import fake_rapi_resources as res
from ganeti_dashboard.test.fake_rapi_resources import HttpError
from ganeti_dashboard.test.fake_rapi_resources import resource

_MODIFY_PARAMS = (
    "candidate_pool_size", "beparams", "ipolicy", "enabled_hypervisors",
    "enabled_disk_templates", "hvparams", "dry_run")
_LVM = ("plain", "drbd")


def _modify(cluster, call):
    body = call.body if isinstance(call.body, dict) else {}
    for key in body:
        if key not in _MODIFY_PARAMS:
            raise HttpError(400, "Invalid body parameters: Object "
                            "OpClusterSetParams doesn't support the "
                            "parameter '%s'" % key)
    size = body.get("candidate_pool_size")
    if size is not None and (not isinstance(size, int) or size < 1):
        raise res.invalid("OP_CLUSTER_SET_PARAMS", "candidate_pool_size")

    def effect(log):
        info = copy.deepcopy(cluster.info)
        if size is not None:
            info["candidate_pool_size"] = size
        info["beparams"]["default"].update(body.get("beparams") or {})
        ipolicy = body.get("ipolicy") or {}
        for key, value in ipolicy.items():
            if key == "std":
                info["ipolicy"]["std"].update(value)
            else:
                info["ipolicy"][key] = value
        std = info["ipolicy"]["std"]
        for pair in info["ipolicy"]["minmax"]:
            if any(not pair["min"][k] <= std[k] <= pair["max"][k]
                   for k in std):
                raise jobs.OpError("Invalid instance policy: Invalid std "
                                   "specifications")
        for hv in body.get("enabled_hypervisors") or []:
            if hv not in ("fake", "kvm"):
                raise jobs.OpError(
                    "Hypervisor parameter validation failed on node %s: "
                    "Parameter 'kernel_path' fails validation: not found "
                    "or not a file" % cluster.master, None, "OpExecError")
        if "enabled_hypervisors" in body:
            info["enabled_hypervisors"] = list(body["enabled_hypervisors"])
            info["default_hypervisor"] = body["enabled_hypervisors"][0]
        templates = body.get("enabled_disk_templates")
        if templates is not None:
            if set(templates) & set(_LVM) \
                    and not info.get("volume_group_name"):
                raise jobs.OpError("Please specify a volume group when "
                                   "enabling lvm-based disk-templates.")
            info["enabled_disk_templates"] = list(templates)
        for hv, params in (body.get("hvparams") or {}).items():
            mode = params.get("migration_mode")
            if mode is not None and mode not in ("live", "non-live"):
                raise jobs.OpError(
                    "Parameter 'migration_mode' fails syntax check: "
                    "invalid migration mode (current value: '%s')" % mode,
                    None, "HypervisorError")
            info["hvparams"].setdefault(hv, {}).update(params)
        cluster.info = info
    params = dict(body, force=False)
    return res.submit(cluster, call, [res.op(
        "OP_CLUSTER_SET_PARAMS", params, effect)], "cluster_modify")


resource(r"/2/modify", PUT=_modify)
resource(r"/2/redistribute-config", PUT=lambda cluster, call: res.submit(
    cluster, call, [res.op("OP_CLUSTER_REDIST_CONF", {})],
    "redist_config"))


# -- filters ---------------------------------------------------------------

def _filters_of(cluster):
    if not hasattr(cluster, "filter_rules"):
        cluster.filter_rules = {}
    return cluster.filter_rules


def _parse_failure(body, detail):
    return HttpError(502, "Failed to parse request: Cannot convert value "
                     "'%s', error: %s" % (body, detail))


def _checked(body):
    if not isinstance(body, dict):
        raise HttpError(400, "Invalid body contents, not a dictionary")
    for key in body:
        if key not in ("priority", "predicates", "action", "reason"):
            raise HttpError(400, "Invalid body parameters: filter rule "
                            "doesn't support the parameter '%s'" % key)
    priority = body.get("priority", 0)
    predicates = body.get("predicates", [])
    action = body.get("action", "CONTINUE")
    for predicate in predicates:
        if (not isinstance(predicate, list) or len(predicate) != 2
                or predicate[0] not in ("jobid", "opcode", "reason")):
            raise _parse_failure(body, "malformed FilterPredicate: bad "
                                 "parameter list for '%s' predicate"
                                 % (predicate[0] if predicate else ""))
    if not (action in ("ACCEPT", "PAUSE", "REJECT", "CONTINUE") or (
            isinstance(action, list) and len(action) == 2
            and action[0] == "RATE_LIMIT" and isinstance(action[1], int))):
        raise _parse_failure(body, "malformed FilterAction JSON: %s"
                             % action)
    return priority, predicates, action, list(body.get("reason") or [])


def _store(cluster, rule_uuid, body):
    priority, predicates, action, reason = _checked(body)
    rules = _filters_of(cluster)
    rules[rule_uuid] = {
        "watermark": max(cluster.queue.jobs) if cluster.queue.jobs else 0,
        "priority": priority, "predicates": predicates, "action": action,
        "reason_trail": reason + [["luxid", "", time.time_ns()]],
        "uuid": rule_uuid}
    return rule_uuid


def _rule(cluster, rule_uuid):
    found = _filters_of(cluster).get(rule_uuid)
    if found is None:
        raise HttpError(500, "Filter rule with UUID %s does not exist"
                        % rule_uuid)
    return found


def _list(cluster, call):
    rules = list(_filters_of(cluster).values())
    if call.flag("bulk"):
        return copy.deepcopy(rules)
    return [{"uuid": r["uuid"], "uri": "/2/filters/%s" % r["uuid"]}
            for r in rules]


def _delete(cluster, call, rule_uuid):
    _rule(cluster, rule_uuid)
    del _filters_of(cluster)[rule_uuid]


resource(r"/2/filters", GET=_list,
         POST=lambda cluster, call: _store(cluster, str(uuidlib.uuid4()),
                                           call.body))
resource(r"/2/filters/(?P<rule_uuid>[^/]+)",
         GET=lambda cluster, call, rule_uuid: copy.deepcopy(
             _rule(cluster, rule_uuid)),
         PUT=lambda cluster, call, rule_uuid: _store(cluster, rule_uuid,
                                                     call.body),
         DELETE=_delete)
