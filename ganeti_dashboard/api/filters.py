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

"""Ganeti's job filter rules (``gnt-filter``, Ganeti 2.13+, ``/2/filters``).

A rule has a uuid, a watermark (the highest job id when it was added or
replaced: Ganeti sets it, RAPI refuses it), a priority (0 first), a list of
predicates, each ``[name, expression]`` with ``name`` one of ``jobid``,
``opcode``, ``reason`` and the expression in Ganeti's query filter
language, and an action: ``ACCEPT``, ``PAUSE``, ``REJECT``, ``CONTINUE``
or ``["RATE_LIMIT", n]``.

Measured on Ganeti 3.0.2: a filter change is no job (luxid answers the
uuid at once); a malformed predicate or action is answered 502 with
luxid's parse error, so :func:`check_predicates` refuses what it can
before anything is sent; an unknown uuid is a 500 "does not exist";
``?reason=`` is ignored, the reason trail goes in the body.
"""

import dataclasses
import re

from django.utils.translation import gettext as _

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import job_starters
from ganeti_dashboard.api import preconditions
from ganeti_dashboard.api import snapshots

ACTIONS = ("ACCEPT", "PAUSE", "REJECT", "CONTINUE", "RATE_LIMIT")
PREDICATES = ("jobid", "opcode", "reason")
# The fields each predicate's expression may use (opcode: any field of an
# opcode, OP_ID among them).
FIELDS = {"jobid": ("id",), "reason": ("source", "reason", "timestamp"),
          "opcode": None}
BINARY = ("=", "!=", "<", ">", "<=", ">=", "=~", "=[]")
LOGICAL = ("&", "|")


def _fetch(client):
    """A cluster's rules, by priority; None where Ganeti has no filters
    (before 2.13: ``/2/filters`` is a 404).
    """
    try:
        found = client.filters()
    except errors.NotFound:
        return {"offered": False, "rules": []}
    return {"offered": True, "rules": sorted(
        found, key=lambda r: (r.get("priority") or 0,
                              r.get("watermark") or 0, r.get("uuid")))}


SNAPSHOT = snapshots.register(snapshots.Kind("filters", _fetch))


@dataclasses.dataclass
class Rule:
    cluster: str
    uuid: str
    priority: int
    predicates: list
    action: object
    watermark: int | None = None
    reason_trail: list = dataclasses.field(default_factory=list)

    @property
    def id(self):
        return "%s:%s" % (self.cluster, self.uuid)

    @property
    def name(self):
        return self.uuid

    @property
    def action_name(self):
        return self.action[0] if isinstance(self.action, list) \
            else self.action

    @property
    def rate_limit(self):
        if isinstance(self.action, list) and len(self.action) == 2:
            return self.action[1]
        return None

    @property
    def summary(self):
        return summary(self.predicates, self.action, self.watermark)


def _rule(cluster, row):
    return Rule(cluster, row.get("uuid"), row.get("priority") or 0,
                row.get("predicates") or [], row.get("action"),
                row.get("watermark"), row.get("reason_trail") or [])


def list_all(cluster_names=None):
    """``(rules, snapshots, unsupported)``: every cluster's rules,
    ``{cluster: Snapshot}``, and the clusters whose Ganeti has none.
    """
    chosen = clusters.settings().clusters_named(cluster_names)
    found = snapshots.read(chosen, SNAPSHOT.name)
    rules, unsupported = [], []
    for cluster in chosen:
        snap = found[cluster.name]
        if not snap.available:
            continue
        if not snap.data.get("offered"):
            unsupported.append(cluster.name)
            continue
        rules += [_rule(cluster.name, row) for row in snap.data["rules"]]
    return rules, found, unsupported


def split_id(rule_id):
    cluster, sep, uuid = rule_id.partition(":")
    if not sep or not cluster or not uuid:
        raise errors.NotFound(None, cluster or None)
    return cluster, uuid


def get(rule_id):
    """One rule, fresh from RAPI."""
    cluster, uuid = split_id(rule_id)
    config = clusters.settings().cluster(cluster)
    if config is None:
        raise errors.NotFound(None, cluster)
    row = clusters.client(config).filter_rule(uuid)
    if not row or not row.get("uuid"):
        raise errors.NotFound(None, cluster)
    return _rule(cluster, row)


def _writable(cluster):
    config = clusters.settings().cluster(cluster)
    if config is None:
        raise errors.NotFound(None, cluster)
    why = preconditions.cluster_refusal(config)
    if why:
        raise errors.Refused(str(why), cluster, why)
    return clusters.client(config)


def action_value(name, limit=None):
    """The action as Ganeti takes it."""
    if name not in ACTIONS:
        raise errors.BadRequest("unknown filter action %r" % name)
    if name == "RATE_LIMIT":
        return ["RATE_LIMIT", int(limit)]
    return name


def add(request, cluster, priority, predicates, action):
    check_predicates(predicates)
    client = _writable(cluster)
    return client.add_filter(priority, predicates, action,
                             reason=job_starters.reason(request))


def replace(request, rule, priority, predicates, action):
    check_predicates(predicates)
    client = _writable(rule.cluster)
    return client.replace_filter(rule.uuid, priority, predicates, action,
                                 reason=job_starters.reason(request))


def delete(request, rule):
    return _writable(rule.cluster).delete_filter(rule.uuid)


# -- checking predicates ----------------------------------------------------

class BadPredicate(ValueError):
    pass


def _is_scalar(value):
    return isinstance(value, (str, int, float, bool)) and value is not None


def _check_expression(expr, fields, where):
    if not isinstance(expr, list) or not expr:
        raise BadPredicate(_("%s: an expression is a non-empty list, such "
                             "as [\"=\", \"field\", \"value\"]") % where)
    op = expr[0]
    if op in LOGICAL:
        if len(expr) < 2:
            raise BadPredicate(_("%(where)s: %(op)s needs at least one "
                                 "expression") % {"where": where, "op": op})
        for inner in expr[1:]:
            _check_expression(inner, fields, where)
        return
    if op == "!":
        if len(expr) != 2:
            raise BadPredicate(_("%s: ! takes one expression") % where)
        _check_expression(expr[1], fields, where)
        return
    if op == "?":
        if len(expr) != 2 or not isinstance(expr[1], str):
            raise BadPredicate(_("%s: ? takes one field name") % where)
        _check_field(expr[1], fields, where)
        return
    if op not in BINARY:
        raise BadPredicate(_(
            "%(where)s: unknown operator %(op)s (use one of %(ops)s)") % {
            "where": where, "op": op,
            "ops": " ".join(LOGICAL + ("!", "?") + BINARY)})
    if len(expr) != 3 or not isinstance(expr[1], str) \
            or not _is_scalar(expr[2]):
        raise BadPredicate(_("%(where)s: %(op)s takes a field name and a "
                             "value") % {"where": where, "op": op})
    _check_field(expr[1], fields, where)
    if op == "=~":
        if not isinstance(expr[2], str):
            raise BadPredicate(_("%s: =~ takes a regular expression")
                               % where)
        try:
            re.compile(expr[2])
        except re.error as exc:
            raise BadPredicate(_("%(where)s: bad regular expression: "
                                 "%(error)s") % {"where": where,
                                                 "error": exc})


def _check_field(field, fields, where):
    if fields is not None and field not in fields:
        raise BadPredicate(_(
            "%(where)s: unknown field %(field)s (this predicate has "
            "%(fields)s)") % {"where": where, "field": field,
                              "fields": ", ".join(fields)})


def check_predicates(predicates):
    """Raise :class:`BadPredicate` with the reason unless ``predicates``
    is a list of predicates in Ganeti's filter language.
    """
    if not isinstance(predicates, list):
        raise BadPredicate(_("Predicates are a list: [] or "
                             "[[\"reason\", [\"=~\", \"reason\", \"x\"]]]."))
    for index, predicate in enumerate(predicates, 1):
        where = _("predicate %d") % index
        if (not isinstance(predicate, list) or len(predicate) != 2
                or predicate[0] not in PREDICATES):
            raise BadPredicate(_(
                "%(where)s: a predicate is [name, expression] with name "
                "one of %(names)s") % {"where": where,
                                       "names": ", ".join(PREDICATES)})
        _check_expression(predicate[1], FIELDS[predicate[0]], where)


# -- the human summary ------------------------------------------------------

_SIMPLE_TEXT = re.compile(r"^[A-Za-z0-9 _:=@.,/+-]*$")


def _value(value, watermark):
    if value == "watermark" and watermark is not None:
        return _("the watermark (%s)") % watermark
    return "'%s'" % value if isinstance(value, str) else str(value)


def _phrase(kind, expr, watermark):
    op = expr[0] if isinstance(expr, list) and expr else None
    if op in LOGICAL:
        joiner = _(" and ") if op == "&" else _(" or ")
        return "(%s)" % joiner.join(_phrase(kind, e, watermark)
                                    for e in expr[1:])
    if op == "!":
        return _("not %s") % _phrase(kind, expr[1], watermark)
    if op == "?":
        return _("%s is set") % expr[1]
    field, value = expr[1], expr[2]
    subject = {"reason": {"reason": _("the reason"),
                          "source": _("the reason's source"),
                          "timestamp": _("the reason's time")}.get(
                              field, field),
               "opcode": (_("an opcode") if field == "OP_ID"
                          else _("an opcode's %s") % field),
               "jobid": _("the job id")}[kind]
    if op == "=~":
        if isinstance(value, str) and _SIMPLE_TEXT.match(value):
            return _("%(subject)s contains '%(text)s'") % {
                "subject": subject, "text": value}
        return _("%(subject)s matches /%(regex)s/") % {
            "subject": subject, "regex": value}
    words = {"=": _("is"), "!=": _("is not"), "<": _("is below"),
             ">": _("is above"), "<=": _("is at most"),
             ">=": _("is at least"), "=[]": _("contains")}
    return "%s %s %s" % (subject, words[op], _value(value, watermark))


def summary(predicates, action, watermark=None):
    """E.g. "Pauses jobs where the reason contains 'project=x'"."""
    name = action[0] if isinstance(action, list) else action
    if name == "RATE_LIMIT":
        head = _("Rate-limits to %s running jobs") % action[1]
    else:
        head = {"ACCEPT": _("Accepts jobs"), "PAUSE": _("Pauses jobs"),
                "REJECT": _("Rejects jobs"),
                "CONTINUE": _("Does nothing (continues with the next "
                              "rule) for jobs")}.get(name, str(action))
    try:
        conditions = [_phrase(p[0], p[1], watermark) for p in predicates]
    except (IndexError, KeyError, TypeError):
        return "%s: %s" % (head, predicates)
    if not conditions:
        return _("%s: every job") % head
    return _("%(head)s where %(conditions)s") % {
        "head": head, "conditions": _(" and ").join(conditions)}
