"""Self-assessment services: self scores, evidence files, delegation, submission; and the
appraisers' figures on the unit's rows (evidence's models change only through here).

Every function validates, writes and records an audit event; refusals are Vietnamese
ValidationErrors. Nothing changes outside the self-assessment window, after submission,
or in a published year (DOMAIN §3).
"""

from .common import deadline_text, editable_check, opening_text, score_locked, window_check
from .scores import (
    colleagues_of,
    leaf_delegate,
    not_applicable_request,
    score_appraised_set,
    score_not_applicable_set,
    score_save,
)
from .submission import self_assessment_submit, self_assessment_withdraw
from .uploads import (
    current_files,
    evidence_link,
    evidence_replace,
    evidence_store,
    evidence_unlink,
    evidence_upload,
)

__all__ = [
    "colleagues_of",
    "current_files",
    "deadline_text",
    "editable_check",
    "evidence_link",
    "evidence_replace",
    "evidence_store",
    "evidence_unlink",
    "evidence_upload",
    "leaf_delegate",
    "not_applicable_request",
    "opening_text",
    "score_appraised_set",
    "score_locked",
    "score_not_applicable_set",
    "score_save",
    "self_assessment_submit",
    "self_assessment_withdraw",
    "window_check",
]
