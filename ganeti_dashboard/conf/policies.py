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

"""The plugin's policy rules (Horizon policy service ``ganeti``), in code.

This is the one place where the default rules are written. Generated from
it, and checked against it by ``tools/check-sample-config``:

* ``default_policies/ganeti.yaml`` beside this module, the file Horizon
  loads the defaults from (``DEFAULT_POLICY_FILES["ganeti"]``), written by
  Horizon's own ``dump_default_policies`` command;
* ``etc/ganeti_policy.yaml.sample``, by ``oslopolicy-sample-generator``;
* the rule reference in ``doc/source/policy.rst``, by oslo.policy's Sphinx
  extension.

The oslopolicy-* tools find the rules through the entry point ``ganeti`` of
the group ``oslo.policy.policies`` (:func:`list_rules`), and an enforcer
through the group ``oslo.policy.enforcer`` (:func:`get_enforcer`).

Each rule's operations are the dashboard URLs it guards (``<cluster>:<name>``
stands for the id of an instance, node or job). Horizon checks a panel's rule
before every URL of the panel, so a panel's rule is needed for the panel's
other pages too, besides their own rules. Table actions are a POST of the
table's form to the list page, whose ``action`` field names the table and the
action (and the row's id, when one row's button was used).
"""

import os

from oslo_policy import policy

ADMIN_INSTANCES = "/admin/ganeti_instances/"
PROJECT_INSTANCES = "/project/ganeti_instances/"
INSTANCE_PANELS = (ADMIN_INSTANCES, PROJECT_INSTANCES)
INSTANCE = "<cluster>:<instance>"

PANEL_RULE = ("Horizon checks this panel rule before every URL of the "
              "panel, so it is needed for the panel's other pages and "
              "actions as well.")


def _get(*paths):
    return [{"method": "GET", "path": path} for path in paths]


def _form(*paths):
    """A modal form: GET shows it, POST submits it."""
    return [{"method": method, "path": path}
            for path in paths for method in ("GET", "POST")]


def _table_action(list_path, table, action):
    return {"method": "POST",
            "path": "%s (action=%s__%s)" % (list_path, table, action)}


def _row_updates(list_path, table, obj_id):
    """The rows that poll until their job ends (Horizon's ajax rows)."""
    return _get("%s?action=row_update&table=%s&obj_id=%s"
                % (list_path, table, obj_id))


def _instance_rule(name, check_str, description, form=None,
                   table_action=None):
    """A rule of an instance action, on both dashboards' instance panels:
    its modal form at ``<instance>/<form>/`` and/or the table's action.
    """
    operations = []
    for panel in INSTANCE_PANELS:
        if form:
            operations += _form("%s%s/%s/" % (panel, INSTANCE, form))
        if table_action:
            operations.append(_table_action(panel, "instances", table_action))
    return policy.DocumentedRuleDefault(
        name="ganeti:instance:%s" % name, check_str=check_str,
        description=description, operations=operations)


def _rule(name, check_str, description, operations):
    return policy.DocumentedRuleDefault(
        name=name, check_str=check_str, description=description,
        operations=operations)


ADMIN = "rule:admin_required"
READER = "rule:project_reader"
MEMBER = "rule:project_member"


def _form_rules(kind, path, *entries):
    """Operators' rules ``ganeti:<kind>:<name>`` of modal forms, one an
    entry ``(name, description)``, whose form is ``<path><name>/``, or
    ``(name, description, forms)``, whose forms are ``<path><form>/``.
    """
    rules = []
    for name, description, *named in entries:
        forms = named[0] if named else (name,)
        rules.append(_rule("ganeti:%s:%s" % (kind, name), ADMIN, description,
                           _form(*(path + form + "/" for form in forms))))
    return rules


base_rules = [
    policy.RuleDefault(
        name="admin_required", check_str="role:admin or is_admin:1",
        description="Operators of the deployment."),
    policy.RuleDefault(
        name="project_reader",
        check_str="role:reader or role:member or role:admin",
        description="May see a project's Ganeti instances."),
    policy.RuleDefault(
        name="project_member", check_str="role:member or role:admin",
        description="May act on a project's Ganeti instances."),
]

CLUSTER = "/admin/ganeti_clusters/<cluster>/"

cluster_rules = [
    _rule("ganeti:cluster:list", ADMIN,
          "See Admin > Ganeti > Clusters. " + PANEL_RULE,
          _get("/admin/ganeti_clusters/")),
    _rule("ganeti:cluster:get", ADMIN,
          "See one cluster's detail page and its tabs.",
          _get(CLUSTER)),
    _rule("ganeti:cluster:map", ADMIN,
          "See a cluster's map: its node groups, nodes with their "
          "primary and secondary instances, DRBD pairs and each node's "
          "memory and disk pressure (the Map tab of a cluster's detail "
          "page, and the figures it reads).",
          _get(CLUSTER + "map/")),
] + _form_rules(
    "cluster", CLUSTER,
    ("tag", "Add and remove a cluster's tags.", ("tags/add", "tags/remove")),
    ("modify", "Change a cluster's settings (instance policy, enabled "
     "hypervisors and disk templates, default backend and hypervisor "
     "parameters, candidate pool size): Edit Settings.", ("settings",)),
    ("redistribute_config", "Copy a cluster's configuration to its nodes "
     "again: Redistribute Config.", ("redistribute-config",)),
)

FILTER = "/admin/ganeti_filters/<cluster>:<uuid>/"

filter_rules = [
    _rule("ganeti:filter:list", ADMIN,
          "See Admin > Ganeti > Job Filters (every cluster's job filter "
          "rules). " + PANEL_RULE,
          _get("/admin/ganeti_filters/")),
] + _form_rules(
    "filter", "/admin/ganeti_filters/",
    ("create", "Add a job filter rule to a cluster."),
) + _form_rules(
    "filter", FILTER,
    ("update", "Change a job filter rule's priority, predicates or action."),
) + [
    _rule("ganeti:filter:delete", ADMIN,
          "Delete job filter rules.",
          [_table_action("/admin/ganeti_filters/", "filters", "delete")]),
]

NODE = "/admin/ganeti_nodes/<cluster>:<node>/"

node_rules = [
    _rule("ganeti:node:list", ADMIN,
          "See Admin > Ganeti > Nodes and a node's detail page. "
          + PANEL_RULE,
          _get("/admin/ganeti_nodes/", NODE)
          + _row_updates("/admin/ganeti_nodes/", "nodes", "<cluster>:<node>")),
    _rule("ganeti:node:metrics", ADMIN,
          "See the live figures of nodes (CPU load from each node's "
          "monitoring daemon, free memory and disk from RAPI, the "
          "daemon's LVM, DRBD and disk statistics): the Live tab of a "
          "node's and of a cluster's detail page, and the figures they "
          "poll; and a node's history from Prometheus ([metrics]): its "
          "History tab and the series it reads.",
          _get(NODE + "live/", "/admin/ganeti_clusters/<cluster>/live/",
               NODE + "history/")),
] + _form_rules(
    "node", NODE,
    ("set_role", "Change a node's role (master candidate, regular, "
     "drained, offline)."),
    ("evacuate", "Move every instance off a node."),
    ("migrate", "Live-migrate a node's primary instances away."),
    ("modify", "Modify a node: drained, offline, master and VM capable, "
     "secondary IP."),
    ("tags", "Add and remove a node's tags."),
) + [
    _rule("ganeti:node:storage", ADMIN,
          "See a node's storage units (its detail page's Storage tab; "
          "Ganeti lists them by a job).",
          _get(NODE + "?tab=node_details__storage")),
] + _form_rules(
    "node", NODE,
    ("storage_modify", "Make a node's storage unit (LVM physical volume) "
     "allocatable or not."),
    ("storage_repair", "Repair a node's storage unit (LVM volume group "
     "consistency)."),
    ("powercycle", "Power-cycle a node (never the master, nor on a "
     "cluster with the fake hypervisor)."),
)

GROUPS = "/admin/ganeti_groups/"
GROUP = GROUPS + "<cluster>:<group>/"

group_rules = [
    _rule("ganeti:group:list", ADMIN,
          "See Admin > Ganeti > Node Groups and a cluster's Node Groups "
          "tab. " + PANEL_RULE,
          _get(GROUPS)
          + _row_updates(GROUPS, "groups", "<cluster>:<group>")),
] + _form_rules(
    "group", GROUPS,
    ("create", "Create a node group."),
) + _form_rules(
    "group", GROUP,
    ("rename", "Rename a node group."),
    ("modify", "Change a node group's allocation policy, instance policy "
     "and disk parameters."),
    ("assign_nodes", "Move nodes of the cluster into a node group."),
    ("evacuate", "Move a node group's instances to the nodes of another "
     "group (one migrate or failover job per instance)."),
    ("tag", "Add and remove a node group's tags.",
     ("add_tag", "remove_tag")),
    ("delete", "Delete an empty node group."),
)

NETWORKS = "/admin/ganeti_networks/"
NETWORK = NETWORKS + "<cluster>:<network>/"

network_rules = [
    _rule("ganeti:network:list", ADMIN,
          "See Admin > Ganeti > Networks and a network's detail page. "
          + PANEL_RULE,
          _get(NETWORKS, NETWORK)
          + _row_updates(NETWORKS, "networks", "<cluster>:<network>")),
] + _form_rules(
    "network", NETWORKS,
    ("create", "Create a Ganeti network (subnet, gateway, reserved "
     "addresses, tags)."),
) + _form_rules(
    "network", NETWORK,
    ("modify", "Change a network's gateway, reserve and release "
     "addresses, set its IPv6 subnet and gateway and its MAC prefix."),
    ("connect", "Connect a network to a node group (mode and link)."),
    ("disconnect", "Disconnect a network from a node group."),
    ("tag", "Add and remove a network's tags.", ("add_tag", "remove_tag")),
    ("delete", "Delete a network that no group connects and no instance "
     "uses."),
)

instance_rules = [
    _rule("ganeti:instance:list_all", ADMIN,
          "See Admin > Ganeti > Instances (every project's instances). "
          + PANEL_RULE,
          _get(ADMIN_INSTANCES)
          + _row_updates(ADMIN_INSTANCES, "instances", INSTANCE)),
    _rule("ganeti:instance:set_owner", ADMIN,
          "Assign or change the project that owns an instance (one row's "
          "Assign Project..., or the table's Assign Project for the "
          "selected rows).",
          _form(ADMIN_INSTANCES + "assign-owner/")
          + [_table_action(ADMIN_INSTANCES, "instances",
                           "assign_owner_many")]),
    _rule("ganeti:instance:list", READER,
          "See Project > Ganeti > Instances (the project's own "
          "instances). " + PANEL_RULE,
          _get(PROJECT_INSTANCES)
          + _row_updates(PROJECT_INSTANCES, "instances", INSTANCE)),
    _rule("ganeti:instance:get", READER,
          "See an instance's detail tabs (overview, operations).",
          _get(*("%s%s/" % (panel, INSTANCE) for panel in INSTANCE_PANELS))),
    _rule("ganeti:instance:create", MEMBER,
          "Create instances in the project: the create workflow, empty or "
          "filled in from an operator's template or an instance.",
          _form(PROJECT_INSTANCES + "create/")),
    _instance_rule("start", MEMBER, "Start instances.",
                   table_action="start"),
    _instance_rule("shutdown", MEMBER, "Shut instances down.",
                   form="shutdown", table_action="stop"),
    _instance_rule("reboot", MEMBER, "Reboot instances.",
                   form="reboot", table_action="reboot"),
    _instance_rule("reinstall", MEMBER, "Reinstall an instance's OS.",
                   form="reinstall"),
    _instance_rule("rename", MEMBER, "Rename an instance.", form="rename"),
    _instance_rule("resize", MEMBER,
                   "Change vCPUs and memory, grow disks.", form="resize"),
    _instance_rule("migrate", ADMIN,
                   "Migrate an instance to another node.", form="migrate"),
    _instance_rule("failover", ADMIN,
                   "Fail an instance over to another node.",
                   form="failover"),
    _instance_rule("export", ADMIN,
                   "Export an instance to a node of its cluster (a backup "
                   "that Admin > Ganeti > Exports lists).", form="export"),
    _instance_rule("move", ADMIN,
                   "Move an instance to another configured cluster "
                   "(Ganeti's remote export and import).", form="move"),
    _instance_rule("delete", MEMBER, "Delete instances.",
                   table_action="delete"),
    # Disks and NICs (the instance's Disks and NICs tabs). Members may
    # add, grow and remove the disks of their own instances, within their
    # project's disk limit; a NIC's mode, link and network choose a host
    # bridge or network, which operators decide, as they do the disk
    # operations that repair or move storage.
    _instance_rule("disk_add", MEMBER,
                   "Add a disk to an instance (counted against the "
                   "project's disk limit).", form="disk_add"),
    _instance_rule("disk_grow", MEMBER,
                   "Grow an instance's disk (counted against the project's "
                   "disk limit).", form="disk_grow"),
    _instance_rule("disk_remove", MEMBER,
                   "Remove a disk from an instance, with its data.",
                   form="disk_remove"),
    _instance_rule("nic_add", ADMIN,
                   "Add a network interface to an instance.",
                   form="nic_add"),
    _instance_rule("nic_modify", ADMIN,
                   "Change an instance's network interface (MAC, IP, mode, "
                   "link, network).", form="nic_modify"),
    _instance_rule("nic_remove", ADMIN,
                   "Remove a network interface from an instance.",
                   form="nic_remove"),
    _instance_rule("activate_disks", ADMIN,
                   "Activate an instance's disks.", form="activate_disks"),
    _instance_rule("deactivate_disks", ADMIN,
                   "Deactivate the disks of a stopped instance.",
                   form="deactivate_disks"),
    _instance_rule("recreate_disks", ADMIN,
                   "Recreate the disks of a stopped instance (their data "
                   "is lost).", form="recreate_disks"),
    _instance_rule("replace_disks", ADMIN,
                   "Replace the disks of a DRBD instance (on its primary, "
                   "its secondary, or onto a new secondary node).",
                   form="replace_disks"),
    _instance_rule("change_primary", ADMIN,
                   "Record another primary node for a stopped instance "
                   "whose disks are not DRBD.", form="change_primary"),
    _rule("ganeti:instance:console", MEMBER,
          "Open an instance's VNC or serial console (each page load issues "
          "a token for one connection): the Console tab, the console "
          "pages and the state they poll.",
          _get(*("%s%s/%s" % (panel, INSTANCE, suffix)
                 for panel in INSTANCE_PANELS
                 for suffix in ("?tab=instance_details__console",
                                "console/vnc/", "console/serial/",
                                "console/state/")))),
    _rule("ganeti:instance:metrics", MEMBER,
          "See the live figures of instances (state, oper_ram against "
          "the configured memory, oper_vcpus from RAPI, and the primary "
          "node's free memory and CPU load): the Live tab of an "
          "instance's detail page and the figures it polls, and the live "
          "status of the project's own instances on Project > Ganeti > "
          "Overview; and a KVM instance's CPU and memory history from "
          "Prometheus ([metrics]): the History tab of an instance's "
          "detail page and the series it reads. A member sees only the "
          "instances of their project on the clusters mapped to it.",
          _get(*("%s%s/%s" % (panel, INSTANCE, suffix)
                 for panel in INSTANCE_PANELS
                 for suffix in ("?tab=instance_details__live", "live/",
                                "?tab=instance_details__history",
                                "history/")))
          + _get("/project/ganeti_overview/live/")),
]

job_rules = [
    _rule("ganeti:job:list", ADMIN,
          "See Admin > Ganeti > Jobs and a job's detail page. " + PANEL_RULE,
          _get("/admin/ganeti_jobs/", "/admin/ganeti_jobs/<cluster>:<job>/")
          + _row_updates("/admin/ganeti_jobs/", "jobs", "<cluster>:<job>")),
    _rule("ganeti:job:cancel", ADMIN,
          "Cancel a queued or waiting job.",
          [_table_action("/admin/ganeti_jobs/", "jobs", "cancel")]),
    _rule("ganeti:job:list_project", READER,
          "See Project > Ganeti > Operations: the jobs on the project's "
          "instances, on the clusters mapped to it. " + PANEL_RULE,
          _get("/project/ganeti_operations/")
          + _row_updates("/project/ganeti_operations/", "operations",
                         "<cluster>:<job>")),
]

export_rules = [
    _rule("ganeti:export:list", ADMIN,
          "See Admin > Ganeti > Exports (every cluster's instance "
          "exports, by node). " + PANEL_RULE,
          _get("/admin/ganeti_exports/")),
    _rule("ganeti:export:import", ADMIN,
          "Create an instance from an export: the create workflow's "
          "\"From export\" source, and Import as New Instance... in "
          "Admin > Ganeti > Exports.",
          _form(PROJECT_INSTANCES + "create/?export=<cluster>:<node>:"
                "<export>")),
]

PROJECT = "/admin/ganeti_projects/<project_id>/"

project_rules = [
    _rule("ganeti:project:list", ADMIN,
          "See Admin > Ganeti > Projects (which project may use which "
          "cluster, and its limits). " + PANEL_RULE,
          _get("/admin/ganeti_projects/")),
] + _form_rules(
    "project", PROJECT,
    ("map", "Add or remove a project's cluster mapping.", ("map", "unmap")),
    ("set_limits", "Set a project's limits (Keystone project limits of the "
     "ganeti service).", ("limits",)),
) + [
    _rule("ganeti:limits:get", READER,
          "See Project > Ganeti > Overview (the project's usage against its "
          "limits). " + PANEL_RULE,
          _get("/project/ganeti_overview/")),
]


def list_rules():
    """Every rule (entry point ``oslo.policy.policies`` ``ganeti``)."""
    return (base_rules + cluster_rules + node_rules + group_rules
            + network_rules
            + instance_rules + job_rules + export_rules + project_rules
            + filter_rules)


def get_enforcer(conf=None):
    """An enforcer with the rules in code and an operator's policy file
    (entry point ``oslo.policy.enforcer`` ``ganeti``), for
    ``oslopolicy-validator``, ``oslopolicy-list-redundant`` and
    ``oslopolicy-policy-generator``.

    The file is ``[oslo_policy] policy_file`` of the ``--config-file`` they
    are given; without one, the package's own (empty) override file.
    """
    from oslo_config import cfg
    from oslo_policy import opts

    conf = cfg.CONF if conf is None else conf
    opts.set_defaults(conf)  # registers [oslo_policy]
    # Defaults of this conf only: Horizon's enforcers use the same options.
    conf.set_default("policy_file", os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "ganeti_policy.yaml"),
        group="oslo_policy")
    conf.set_default("policy_dirs", [], group="oslo_policy")
    enforcer = policy.Enforcer(conf)
    enforcer.register_defaults(list_rules())
    return enforcer
