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

"""The sandbox clusters' Ganeti daemons as processes, for the benchmark.

On a real site a Ganeti cluster runs on machines of its own; here its
daemons share the two cores with Horizon. A load test that should measure
Horizon can lower their CPU priority while it runs (they still answer,
only after Horizon's workers), and says how much CPU they used meanwhile.
Only processes in the sandbox's own network namespaces are touched.
"""

import contextlib
import os
import subprocess


def pids(sandbox_ids):
    """Process ids in the namespaces of ``sandbox_ids`` (``dash1`` ...):
    ``gnt-<id>`` and, for a cluster of several nodes, ``gnt-<id>-<node>``.
    """
    listed = subprocess.run(["ip", "netns", "list"], capture_output=True,
                            text=True, check=False).stdout
    found = []
    for line in listed.splitlines():
        name = line.split()[0] if line.split() else ""
        if any(name == "gnt-" + i or name.startswith("gnt-%s-" % i)
               for i in sandbox_ids):
            found += [int(p) for p in subprocess.run(
                ["ip", "netns", "pids", name], capture_output=True,
                text=True, check=False).stdout.split()]
    return found


def _threads(pid):
    try:
        return [int(t) for t in os.listdir("/proc/%d/task" % pid)]
    except OSError:
        return []


def cpu_seconds(processes):
    """User and system CPU seconds the processes have used so far."""
    ticks = 0
    for pid in processes:
        try:
            with open("/proc/%d/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return ticks / os.sysconf("SC_CLK_TCK")


def _set_nice(processes, value):
    # Linux keeps a priority per thread: every thread of each process.
    for pid in processes:
        for thread in _threads(pid):
            try:
                os.setpriority(os.PRIO_PROCESS, thread, value)
            except OSError:
                pass  # gone meanwhile


@contextlib.contextmanager
def lowest_priority(processes):
    """The processes at nice 19 for the block, then at 0 again."""
    _set_nice(processes, 19)
    try:
        yield
    finally:
        _set_nice(processes, 0)
