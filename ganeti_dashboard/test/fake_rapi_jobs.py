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

"""The job queue of a fake Ganeti cluster (``fake_rapi``).

Every write to RAPI answers with a job id, and what the dashboard shows of
an action comes from the job: its status, its summary, its reason trail,
Ganeti's error text. So jobs here look as Ganeti 3.0.2 shows them (measured
on the sandboxes): opcodes with their parameters and reason trail, results
and errors encoded as ``[class, [message, code]]``, timestamps as
``[seconds, microseconds]``, the ``debug_level`` an opcode gets once it
runs, and cancel answers as luxid gives them.
"""

import dataclasses
import time

# OP_ID -> the parameter the job summary names, as Ganeti writes summaries
# ("INSTANCE_STARTUP(web1)"; rename and tag jobs name nothing).
SUMMARY_FIELD = {
    "OP_INSTANCE_CREATE": "instance_name",
    "OP_INSTANCE_REMOVE": "instance_name",
    "OP_INSTANCE_STARTUP": "instance_name",
    "OP_INSTANCE_SHUTDOWN": "instance_name",
    "OP_INSTANCE_REBOOT": "instance_name",
    "OP_INSTANCE_REINSTALL": "instance_name",
    "OP_INSTANCE_SET_PARAMS": "instance_name",
    "OP_INSTANCE_GROW_DISK": "instance_name",
    "OP_INSTANCE_MIGRATE": "instance_name",
    "OP_INSTANCE_FAILOVER": "instance_name",
    "OP_INSTANCE_REPLACE_DISKS": "instance_name",
    "OP_NODE_SET_PARAMS": "node_name",
    "OP_NODE_EVACUATE": "node_name",
    "OP_NODE_MIGRATE": "node_name",
    "OP_GROUP_ADD": "group_name",
    "OP_GROUP_ASSIGN_NODES": "group_name",
    "OP_GROUP_SET_PARAMS": "group_name",
    "OP_GROUP_REMOVE": "group_name",  # not OP_GROUP_RENAME: no field
}
FINAL = ("success", "error", "canceled")


class OpError(Exception):
    """An opcode fails; Ganeti encodes it as ``[kind, [message, code]]``."""

    def __init__(self, message, code="wrong_input", kind="OpPrereqError"):
        super().__init__(message)
        self.message, self.code, self.kind = message, code, kind

    def encoded(self):
        args = [self.message, self.code] if self.code else [self.message]
        return [self.kind, args]


@dataclasses.dataclass
class Op:
    """One opcode of a job. ``effect(log)`` applies it to the cluster and
    returns its result (or raises :class:`OpError`); ``dry_run`` None: the
    opcode has no such parameter.
    """

    op_id: str
    params: dict
    effect: object = None
    dry_run: bool | None = None
    reason: list = dataclasses.field(default_factory=list)


def timestamp(seconds=None):
    seconds = time.time() if seconds is None else seconds
    return [int(seconds), int(round((seconds % 1) * 1e6)) % 1000000]


class Job:
    def __init__(self, job_id, ops):
        self.id = job_id
        self.ops = ops
        count = len(ops)
        self.opstatus = ["queued"] * count
        self.opresult = [None] * count
        self.oplog = [[] for _ in ops]
        self.opstart = [None] * count
        self.opexec = [None] * count
        self.opend = [None] * count
        self.received_ts = timestamp()
        self.start_ts = self.end_ts = None
        self.failure = None  # (kind, message, code) a test asked for
        self._serial = 0

    def __repr__(self):
        return "<Job %s %s %s>" % (self.id, self.summary, self.status)

    @property
    def status(self):
        """Ganeti's ``calcJobStatus``: the first error or cancel decides,
        then the last op still waiting or running.
        """
        status, all_success = "queued", True
        for op_status in self.opstatus:
            if op_status in ("error", "canceling", "canceled"):
                return op_status
            if op_status not in ("success", "queued"):
                status = op_status
            all_success = all_success and op_status == "success"
        return "success" if all_success else status

    @property
    def done(self):
        return self.status in FINAL

    @property
    def summary(self):
        names = []
        for op in self.ops:
            field = SUMMARY_FIELD.get(op.op_id)
            text = op.op_id[3:]
            if field and op.params.get(field) is not None:
                text += "(%s)" % op.params[field]
            names.append(text)
        return names

    def log(self, index, message):
        """A log entry; ``[kind, message]`` for one of another kind than
        ``message`` (a remote import's ``remote-import``).
        """
        kind = "message"
        if isinstance(message, list):
            kind, message = message
        self._serial += 1
        self.oplog[index].append([self._serial, timestamp(), kind,
                                  message])

    def _op(self, index):
        op = self.ops[index]
        shown = {} if op.dry_run is None else {"dry_run": op.dry_run}
        if self.opstatus[index] != "queued":
            shown["debug_level"] = 0
        shown.update(priority=0, depends=None, comment=None,
                     reason=op.reason, OP_ID=op.op_id)
        shown.update(op.params)
        return shown

    def as_dict(self):
        """``GET /2/jobs/<id>``."""
        return {"id": self.id,
                "ops": [self._op(i) for i in range(len(self.ops))],
                "status": self.status, "summary": self.summary,
                "opstatus": list(self.opstatus),
                "received_ts": self.received_ts, "start_ts": self.start_ts,
                "end_ts": self.end_ts, "oplog": self.oplog,
                "opresult": list(self.opresult)}

    def fields(self):
        """Every field of ``PUT /2/query/job``."""
        shown = self.as_dict()
        shown.update(priority=0, opstart=list(self.opstart),
                     opexec=list(self.opexec), opend=list(self.opend),
                     oppriority=[0] * len(self.ops), archived=False)
        return shown


@dataclasses.dataclass
class JobQueue:
    """One cluster's jobs. ``hold``: new jobs stay queued until a test
    runs them; ``next_failure``: the next job fails so.
    """

    jobs: dict = dataclasses.field(default_factory=dict)
    next_id: int = 1
    hold: bool = False
    next_failure: tuple | None = None

    def submit(self, ops, reason=None, library=None, trail=None):
        """Queue a job (and run it, unless held); return it.

        ``reason``: the ``?reason=`` text, ``library``: the rlib2 resource
        that made the opcodes; both go into each opcode's reason trail
        before Ganeti's own entry, as RAPI puts them. ``trail``: the
        reason trail of the job that submits this one (Ganeti copies it
        into the jobs an opcode submits).
        """
        sent_ns = time.time_ns()
        job = Job(self.next_id, ops)
        self.next_id += 1
        seconds, micro = job.received_ts
        received_ns = seconds * 10 ** 9 + micro * 1000
        for index, op in enumerate(ops):
            entries = [list(e) for e in trail or []]
            if reason is not None:
                entries.append(["gnt:user", reason, sent_ns])
            if library is not None:
                entries.append(["gnt:library:rlib2:%s" % library, "",
                                sent_ns + 1])
            entries.append(["gnt:opcode:%s" % op.op_id[3:].lower(),
                            "job=%d;index=%d" % (job.id, index),
                            received_ns])
            op.reason = entries
        job.failure, self.next_failure = self.next_failure, None
        self.jobs[job.id] = job
        if not self.hold:
            self.finish(job)
        return job

    def start(self, job):
        """Queued -> running: the first opcode has started."""
        if job.opstatus[0] != "queued":
            return
        job.start_ts = timestamp()
        job.opstatus[0] = "running"
        job.opstart[0] = job.opexec[0] = timestamp()

    def finish(self, job, failure=None):
        """Run every opcode still to run; the first error ends the job."""
        if job.done:
            return
        self.start(job)
        failure = failure or job.failure
        for index, op in enumerate(job.ops):
            if job.opstatus[index] in FINAL:
                continue
            job.opstatus[index] = "running"
            job.opstart[index] = job.opstart[index] or timestamp()
            job.opexec[index] = job.opexec[index] or timestamp()
            try:
                if failure:
                    kind, message, code = failure
                    raise OpError(message, code, kind)
                if op.dry_run:
                    job.log(index, " - INFO: dry-run mode requested, not "
                                   "actually executing the operation")
                    result = None
                else:
                    result = op.effect(lambda text, i=index: job.log(i, text)) \
                        if op.effect else None
            except OpError as exc:
                job.opstatus[index], job.opresult[index] = \
                    "error", exc.encoded()
                job.opend[index] = timestamp()
                for later in range(index + 1, len(job.ops)):
                    job.opstatus[later] = "error"
                    job.opresult[later] = ["OpExecError",
                                           ["Preceding opcode failed"]]
                break
            job.opstatus[index], job.opresult[index] = "success", result
            job.opend[index] = timestamp()
        job.end_ts = timestamp()

    def cancel(self, job_id):
        """luxid's answer to ``DELETE /2/jobs/<id>``: only a job that is
        still queued is taken out (and canceled).
        """
        job = self.jobs.get(job_id)
        if job is None or job.done:
            return [False, "Job %d not found in queue" % job_id]
        if job.status != "queued":
            return [False, "Job no longer waiting, can't cancel (informed "
                           "it anyway)"]
        job.opstatus = ["canceled"] * len(job.ops)
        job.opend = [timestamp()] * len(job.ops)
        job.end_ts = timestamp()
        return [True, "Dequeued job %d" % job_id]
