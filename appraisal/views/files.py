"""The one way an evidence file leaves the server, for the unit (`evidence:download`) and for
the appraisers (`appraisal:evidence_file`): one access rule, the same headers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.clickjacking import xframe_options_sameorigin

from appraisal.access import evidence_file_for_user
from evidence.files import CONTENT_TYPES, PREVIEWABLE_KINDS, served_name
from kernel.previews import inline_document


@inline_document
@xframe_options_sameorigin  # the appraisal leaf screen previews the file in a frame
@login_required
def evidence_file(request, pk: int):
    file = evidence_file_for_user(request.user, pk)
    try:
        handle = file.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=file.kind not in PREVIEWABLE_KINDS,
        # The name's extension follows the sniffed type: a PDF uploaded as `bao-cao.html`
        # is saved by the browser as `bao-cao.pdf`, never as a page that would run.
        filename=served_name(file.original_name, file.kind),
        content_type=CONTENT_TYPES.get(file.kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
