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

"""Ganeti's query language, as the fake RAPI answers ``/2/query/<resource>``.

A fake that filtered "sensibly" would let a test pass that fails against a
cluster, so this copies what Ganeti 3.0.2 does, measured on the sandboxes
and read in its ``Query/Filter.hs``:

* A filter made only of ``=`` on the name field (or an ``|`` of such, also
  nested) *names* the items: they come in that order, as often as named; an
  unknown instance or node name is a 500 (``unknown_entity``), an unknown job
  id a row of unavailable values.
* Host names match by component, in that lookup and in ``=`` on a host-name
  field: ``web`` finds ``web.example.test``.
* A value Ganeti does not have (``oper_ram`` of a stopped instance, the IP
  of a NIC without one) makes every comparison on it true.
* Wrong types, and ``=~`` on a list, are 500s, raised only when an item is
  evaluated; a filter that does not parse is a 502.
"""

import json
import re

from ganeti_dashboard.test import fake_rapi_data

RS_NORMAL, RS_UNKNOWN, RS_NODATA, RS_UNAVAIL = 0, 1, 2, 3

# The field that names an item, and the fields compared as host names.
NAME_FIELD = {"instance": "name", "node": "name", "job": "id"}
HOSTNAME_FIELDS = {"instance": ("name", "pnode"), "node": ("name",)}
_KIND = {"instance": "Instance", "node": "Node"}

# Instance fields of one disk or NIC: prefix -> (list field, title, kind,
# doc, how many Ganeti offers).
_INDEXED = {
    "disk.size/": ("disk.sizes", "Disk/%d", "unit", "Disk size of %s disk",
                   16),
    "disk.name/": ("disk.names", "DiskName/%d", "text", "Name of %s disk",
                   16),
    "nic.ip/": ("nic.ips", "NicIP/%d", "text",
                "IP address of %s network interface", 8),
    "nic.mac/": ("nic.macs", "NicMAC/%d", "text",
                 "MAC address of %s network interface", 8),
    "nic.mode/": ("nic.modes", "NicMode/%d", "text",
                  "Mode of %s network interface", 8),
    "nic.link/": ("nic.links", "NicLink/%d", "text",
                  "Link of %s network interface", 8),
}
_BINARY = ("=", "!=", "<", ">", "<=", ">=", "=~", "=[]")


class QueryError(Exception):
    """Ganeti refused the query: ``code`` is the HTTP status it answers."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def _ordinal(n):
    if 10 <= n % 100 <= 20:
        return "%dth" % n
    return "%d%s" % (n, {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th"))


def _indexed(resource, name):
    """(prefix, index) of a per-disk or per-NIC instance field, or None."""
    if resource != "instance":
        return None
    for prefix, (_, _, _, _, count) in _INDEXED.items():
        suffix = name[len(prefix):]
        if name.startswith(prefix) and suffix.isdigit() \
                and int(suffix) < count and str(int(suffix)) == suffix:
            return prefix, int(suffix)
    return None


def known(resource, name):
    return (name in fake_rapi_data.FIELDS[resource]
            or _indexed(resource, name) is not None)


def definition(resource, name):
    """The field's entry in an answer's ``fields``."""
    found = fake_rapi_data.FIELDS[resource].get(name)
    if found:
        title, kind, doc = found
    elif _indexed(resource, name):
        prefix, index = _indexed(resource, name)
        _, title, kind, doc, _ = _INDEXED[prefix]
        title, doc = title % index, doc % _ordinal(index + 1)
    else:
        title, kind, doc = name, "unknown", "Unknown field '%s'" % name
    return {"name": name, "title": title, "kind": kind, "doc": doc}


def _instance_value(item, name):
    if name in ("oper_ram", "oper_vcpus", "network_port"):
        value = item.get(name)
        return (RS_UNAVAIL, None) if value is None else (RS_NORMAL, value)
    beparams = item["beparams"]
    if name == "beparams":  # the bulk list adds "memory"; the query not
        return RS_NORMAL, {k: v for k, v in beparams.items()
                           if k != "memory"}
    if name.startswith("be/"):
        key = "maxmem" if name == "be/memory" else name[3:]
        return RS_NORMAL, beparams.get(key)
    computed = {"admin_up": lambda: item["admin_state"] == "up",
                "disk.count": lambda: len(item["disk.sizes"]),
                "nic.count": lambda: len(item["nic.macs"])}
    if name in computed:
        return RS_NORMAL, computed[name]()
    if _indexed("instance", name):
        prefix, index = _indexed("instance", name)
        values = item[_INDEXED[prefix][0]]
        if index >= len(values) or values[index] is None:
            return RS_UNAVAIL, None
        return RS_NORMAL, values[index]
    return RS_NORMAL, item[name]


def _node_value(item, name):
    if name in ("sptotal", "spfree") and item.get(name) is None:
        return RS_NODATA, None
    if name == "master":
        return RS_NORMAL, item["role"] == "M"
    return RS_NORMAL, item[name]


def _job_value(item, name):
    # A job id nobody knows: only its id is known.
    if name not in item:
        return RS_UNAVAIL, None
    return RS_NORMAL, item[name]


_VALUE = {"instance": _instance_value, "node": _node_value,
          "job": _job_value}


def value(resource, item, name):
    """``(status, value)`` of one field of one item."""
    if not known(resource, name):
        return RS_UNKNOWN, None
    return _VALUE[resource](item, name)


# -- the filter ----------------------------------------------------------

def _pp(value):
    """A value as Ganeti's messages print it (its JSON)."""
    return json.dumps(value)


def _show(operand):
    """A filter operand as Ganeti's messages print it."""
    if isinstance(operand, str):
        return "QuotedString %s" % json.dumps(operand)
    return "NumericValue %d" % operand


def parse(qfilter, fail):
    """The filter as a tree of tuples; ``fail(detail)`` raises the 502."""
    if not (isinstance(qfilter, list) and qfilter
            and isinstance(qfilter[0], str)):
        fail("Cannot deserialise filter: expected array [string, args], "
             "got %s" % _pp(qfilter))
    op, args = qfilter[0], qfilter[1:]
    if op in ("&", "|"):
        return (op, [parse(arg, fail) for arg in args])
    if op == "!":
        if len(args) != 1:
            fail("Cannot deserialise filter: '!' takes one filter, got %s"
                 % _pp(args))
        return (op, parse(args[0], fail))
    if op == "?":
        if len(args) != 1 or not isinstance(args[0], str):
            fail("Cannot deserialise field, expected [fieldname] but got %s"
                 % _pp(args))
        return (op, args[0])
    if op not in _BINARY:
        fail("Unknown filter operand '%s'" % op)
    if len(args) != 2 or not isinstance(args[0], str):
        fail("Cannot deserialise field/value pair, expected [fieldname, "
             "value] but got %s" % _pp(args))
    field, operand = args
    if isinstance(operand, bool) or not isinstance(operand, (str, int)):
        fail("Cannot deserialise filter value, expecting string or "
             "integer, got %s" % _pp(operand))
    if op == "=~":
        if not isinstance(operand, str):
            fail("Cannot deserialise regexp, got %s" % _pp(operand))
        try:
            operand = re.compile(operand)
        except re.error as exc:
            fail(str(exc))
    return (op, field, operand)


def fields_of(tree):
    op = tree[0]
    if op in ("&", "|"):
        return [f for sub in tree[1] for f in fields_of(sub)]
    if op == "!":
        return fields_of(tree[1])
    return [tree[1]]


def name_matches(name, key):
    """Ganeti's ``compareNameComponent``: exact, or a leading component."""
    return name == key or name.startswith(key + ".")


def lookup(names, key):
    """The one name ``key`` means (an exact one first), else None."""
    if key in names:
        return key
    found = [n for n in names if n.startswith("%s." % key)]
    return found[0] if len(found) == 1 else None


def requested(tree, namefield):
    """The names the filter names, [] for all, None if it filters."""
    if tree is None:
        return []
    if tree[0] == "|":
        names = [requested(sub, namefield) for sub in tree[1]]
        return None if None in names else [n for ns in names for n in ns]
    if tree[0] == "=" and tree[1] == namefield:
        return [tree[2]]
    return None


def _compare(op, actual, operand):
    if isinstance(actual, str) and isinstance(operand, str) or (
            isinstance(actual, (int, float))
            and not isinstance(actual, bool)
            and isinstance(operand, int)):
        return {"=": actual == operand, "<": actual < operand,
                ">": actual > operand, "<=": actual <= operand,
                ">=": actual >= operand}[op]
    raise QueryError(500, "Invalid types in comparison, trying to compare "
                          "%s with '%s'" % (_pp(actual), _show(operand)))


def _contains(actual, operand):
    if not isinstance(actual, list):
        raise QueryError(500, "Cannot convert value '%s', error: Unable to "
                              "read list" % _pp(actual))
    kind = (str, "String") if isinstance(operand, str) else (int, "Integer")
    if not all(isinstance(v, kind[0]) and not isinstance(v, bool)
               for v in actual):
        raise QueryError(500, "Cannot convert value '%s', error: Unable to "
                              "read %s" % (_pp(actual), kind[1]))
    return operand in actual


def matches(resource, item, tree):
    """Whether ``item`` passes the parsed filter (QueryError: a 500)."""
    op = tree[0]
    if op == "&":
        return all(matches(resource, item, sub) for sub in tree[1])
    if op == "|":
        return any(matches(resource, item, sub) for sub in tree[1])
    if op == "!":
        return not matches(resource, item, tree[1])
    status, actual = value(resource, item, tree[1])
    if status != RS_NORMAL:
        return True  # "filter has no data to work, accepting it"
    if op == "?":
        if not isinstance(actual, bool):
            raise QueryError(500, "Unexpected value '%s' in boolean context"
                             % _pp(actual))
        return actual
    operand = tree[2]
    if op in ("=", "!="):
        if (tree[1] in HOSTNAME_FIELDS.get(resource, ())
                and isinstance(actual, str) and isinstance(operand, str)):
            equal = name_matches(actual, operand)
        else:
            equal = _compare("=", actual, operand)
        return equal if op == "=" else not equal
    if op == "=~":
        if not isinstance(actual, str):
            raise QueryError(500, "Invalid field value used in regexp "
                                  "matching, expecting string but got '%s'"
                             % _pp(actual))
        return operand.search(actual) is not None
    if op == "=[]":
        return _contains(actual, operand)
    return _compare(op, actual, operand)


def nice_key(name):
    """Ganeti's order of names: digit runs compare as numbers."""
    return [int(p) if p.isdigit() else p
            for p in re.split(r"(\d+)", str(name))]


def run(resource, items, fields, qfilter):
    """The answer to a query over ``items`` (dicts as the fake keeps them).

    ``items`` is every instance or node, or every job (a job id that is not
    there is answered as Ganeti does). Raises :class:`QueryError`.
    """
    if resource not in NAME_FIELD:
        raise QueryError(502, "Failed to parse request: Cannot convert value "
                              "'%s', error: Can't parse value '%s' as neither"
                              "QueryTypeLuxi nor QueryTypeOp"
                         % (_pp([resource, fields, qfilter]), resource))

    def fail(detail):
        raise QueryError(502, "Failed to parse request: Cannot convert value "
                              "'%s', error: %s"
                         % (_pp([resource, fields, qfilter]), detail))

    if not isinstance(fields, list) or not all(
            isinstance(f, str) for f in fields):
        fail("Unable to read list")
    tree = None if qfilter is None else parse(qfilter, fail)
    for name in fields_of(tree) if tree else ():
        if not known(resource, name):
            raise QueryError(500, "Can't find field named '%s'" % name)
    namefield = NAME_FIELD[resource]
    by_name = {item[namefield]: item for item in items}
    wanted = requested(tree, namefield)
    if resource == "job" and wanted and not all(
            isinstance(w, int) for w in wanted):
        wanted = None
    if not wanted:
        chosen = sorted(items, key=lambda i: nice_key(i[namefield]))
    elif resource == "job":
        chosen = [by_name.get(w, {"id": w}) for w in wanted]
    else:
        chosen = []
        for key in wanted:
            found = lookup(by_name, str(key))
            if found is None:
                raise QueryError(500, "('%s name %s not found', "
                                      "'unknown_entity')"
                                 % (_KIND[resource], key))
            chosen.append(by_name[found])
    rows = [[list(value(resource, item, f)) for f in fields]
            for item in chosen
            if tree is None or matches(resource, item, tree)]
    return {"data": rows,
            "fields": [definition(resource, f) for f in fields]}
