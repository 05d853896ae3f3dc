"""What a deadline load left behind, checked (bench/deadline_load.py): the database against
what each client sent and was told, latency per endpoint, and the report of a run."""

from __future__ import annotations

import hashlib
import math
import os
from dataclasses import dataclass
from datetime import datetime
from datetime import timezone as dt_timezone
from pathlib import Path

from .load_client import LATE, Log, Request, Write


def percentile(samples: list[float], p: float) -> float:
    """Nearest rank."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def endpoint_stats(requests: list[Request]) -> dict[str, dict]:
    stats: dict[str, dict] = {}
    for endpoint in dict.fromkeys(r.endpoint for r in requests):
        rows = [r for r in requests if r.endpoint == endpoint]
        ms = [r.ms for r in rows]
        stats[endpoint] = {
            "count": len(rows),
            "p50": percentile(ms, 50),
            "p95": percentile(ms, 95),
            "p99": percentile(ms, 99),
            "max": max(ms),
            "5xx": sum(1 for r in rows if r.status >= 500),
            "no answer": sum(1 for r in rows if r.status == 0),
        }
    return stats


@dataclass
class Report:
    deadline: datetime | None
    stats: dict[str, dict]
    writes: dict[str, int]
    server_errors: int
    errors: list[str]
    lost_writes: list[str]
    deadline_violations: list[str]
    cores: dict[str, float]

    @property
    def ok(self) -> bool:
        problems = self.errors or self.lost_writes or self.deadline_violations
        return not (self.server_errors or problems)

    def table(self) -> str:
        lines = [
            f"{'endpoint':<30}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
            f"{'max ms':>9}{'5xx':>5}",
        ]
        for name, s in self.stats.items():
            lines.append(
                f"{name:<30}{s['count']:>7}{s['p50']:>9.1f}{s['p95']:>9.1f}{s['p99']:>9.1f}"
                f"{s['max']:>9.1f}{s['5xx']:>5}"
            )
        deadline = self.deadline.isoformat(timespec="milliseconds") if self.deadline else "none"
        lines.append(
            f"deadline {deadline}; " + ", ".join(f"{k} {v}" for k, v in self.writes.items())
        )
        if self.cores:
            lines.append(
                "cores in use while working (of "
                f"{os.cpu_count()}): " + ", ".join(f"{k} {v}" for k, v in self.cores.items())
            )
        lines.append(
            f"5xx {self.server_errors}; other errors {len(self.errors)}; "
            f"lost writes {len(self.lost_writes)}; "
            f"deadline violations {len(self.deadline_violations)}"
        )
        return "\n".join(lines)

    def as_dict(self) -> dict:
        deadline = self.deadline.isoformat() if self.deadline else None
        return {**vars(self), "deadline": deadline, "ok": self.ok, "table": self.table()}


def _deadline_check(write: Write, deadline: float, message: str) -> str | None:
    """Sent at or after the deadline: refused, saying so. Answered before it: accepted."""
    what = f"{write.user} leaf {write.leaf_pk} {write.kind} ({write.phase})"
    sent = write.sent_at - deadline
    received = write.received_at - deadline
    if write.outcome == "saved" and sent >= 0:
        return f"{what}: sent {sent * 1000:+.0f} ms after the deadline, yet saved"
    if write.outcome == "late" and received < 0:
        return f"{what}: answered {received * 1000:+.0f} ms before the deadline, yet refused"
    if write.outcome == "late" and write.kind == "save" and write.message != message:
        return f"{what}: refused with {write.message!r}, expected {message!r}"
    return None


def load_check(log: Log, *, media_root: Path | None = None) -> Report:
    """Compare the database with what each client sent and was told (ORM, sync)."""
    from django.utils import timezone

    deadline = None
    if log.deadline is not None:
        deadline = datetime.fromtimestamp(log.deadline, tz=dt_timezone.utc)
    errors, violations = _answers_check(log, deadline)
    return Report(
        deadline=timezone.localtime(deadline) if deadline else None,
        stats=endpoint_stats(log.requests),
        writes=_write_counts(log),
        server_errors=sum(1 for r in log.requests if r.status >= 500),
        errors=errors,
        lost_writes=_saves_lost(log) + _uploads_lost(log, media_root),
        deadline_violations=violations,
        cores=log.cores,
    )


def _answers_check(log: Log, deadline: datetime | None) -> tuple[list[str], list[str]]:
    """(errors, deadline violations): every answer that was an error or an unexpected
    refusal, and every write the deadline judged wrongly."""
    from evidence.services import deadline_text

    if deadline is not None:
        late_message = f"{LATE} ({deadline_text(deadline)})."
    errors = [
        f"{r.user} {r.endpoint}: answered {r.status or 'nothing'}"
        for r in log.requests
        if r.status == 0 or r.status >= 400
    ]
    violations = []
    for write in log.writes:
        what = f"{write.user} {write.kind} leaf {write.leaf_pk}"
        if write.outcome == "refused" or (write.outcome == "late" and deadline is None):
            errors.append(f"{what}: refused: {write.message}")
        elif write.outcome == "error" and write.status in (200, 302):
            errors.append(f"{what}: answer not understood")
        elif deadline is not None:
            problem = _deadline_check(write, log.deadline, late_message)
            if problem:
                violations.append(problem)
    return errors, violations


def _saves_lost(log: Log) -> list[str]:
    """Every leaf whose stored score and note is none of those its saves allow."""
    from evidence.models import Score

    # Per leaf, what the database may hold: the last saved value, or a later one whose
    # answer was lost (an error). A user never has two saves of one leaf in flight.
    possible: dict[tuple[str, int], list[tuple]] = {}
    for write in sorted((w for w in log.writes if w.kind == "save"), key=lambda w: w.sent_at):
        key = (write.unit_code, write.leaf_pk)
        states = possible.setdefault(key, [(None, "")])
        if write.outcome == "saved":
            possible[key] = [(write.value, write.note)]
        elif write.outcome == "error":
            states.append((write.value, write.note))
    stored = {
        (unit_code, criterion_id): (self_score, note)
        for unit_code, criterion_id, self_score, note in Score.objects.filter(
            participation__unit__code__in={k[0] for k in possible}
        ).values_list("participation__unit__code", "criterion_id", "self_score", "self_note")
    }
    lost = []
    for key, states in possible.items():
        found = stored.get(key, (None, ""))
        if found not in states:
            lost.append(f"{key[0]} leaf {key[1]}: database {found}, expected one of {states}")
    return lost


def _uploads_lost(log: Log, media_root: Path | None) -> list[str]:
    """Every acknowledged upload not stored on its leaf (with its bytes, when `media_root`
    is given), and every refused one stored all the same."""
    from evidence.models import EvidenceFile, Score

    uploads = [w for w in log.writes if w.kind == "upload"]
    files = {
        (f.participation.unit.code, f.original_name): f
        for f in EvidenceFile.objects.filter(
            original_name__in={w.name for w in uploads}
        ).select_related("participation__unit")
    }
    linked = set(
        Score.evidence.through.objects.filter(evidencefile__in=files.values()).values_list(
            "score__criterion_id", "evidencefile_id"
        )
    )
    lost = []
    for write in uploads:
        stored_file = files.get((write.unit_code, write.name))
        if write.outcome == "saved":
            if stored_file is None or stored_file.sha256 != write.sha256:
                lost.append(f"{write.unit_code}: upload {write.name!r} acknowledged, not stored")
            elif (write.leaf_pk, stored_file.pk) not in linked:
                lost.append(f"{write.unit_code}: upload {write.name!r} not on its leaf")
            elif media_root is not None:
                path = media_root / stored_file.file.name
                if not path.exists() or hashlib.sha256(path.read_bytes()).hexdigest() != (
                    write.sha256
                ):
                    lost.append(f"{write.unit_code}: upload {write.name!r}: bytes missing")
        elif write.outcome == "late" and stored_file is not None:
            lost.append(f"{write.unit_code}: upload {write.name!r} refused, yet stored")
    return lost


def _write_counts(log: Log) -> dict[str, int]:
    """Writes by kind, phase and outcome: "saves load saved": 1234."""
    counts: dict[str, int] = {}
    for write in log.writes:
        key = f"{write.kind}s {write.phase} {write.outcome}"
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))
