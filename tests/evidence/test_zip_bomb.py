"""An office file is a zip: one that would inflate past the limit is refused (zip bomb)."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from evidence import services
from evidence.files import MAX_EVIDENCE_BYTES, MAX_UNZIPPED_BYTES
from evidence.models import EvidenceFile

pytestmark = pytest.mark.usefixtures("during_window")


def docx_inflating_to(size: int) -> SimpleUploadedFile:
    """A valid-looking DOCX whose one member is `size` zero bytes (a few hundred KB zipped)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
        with archive.open("word/media/padding.bin", "w", force_zip64=True) as member:
            block = bytes(1024 * 1024)
            for _ in range(size // len(block)):
                member.write(block)
    return SimpleUploadedFile("bao-cao.docx", buffer.getvalue())


def test_a_docx_that_would_inflate_past_the_limit_is_refused(yte, officer, leaf):
    bomb = docx_inflating_to(MAX_UNZIPPED_BYTES + 1024 * 1024)
    assert bomb.size < MAX_EVIDENCE_BYTES  # small on the wire: only the inflation gives it away

    with pytest.raises(ValidationError):
        services.evidence_upload(
            participation=yte, criterion=leaf("1.1"), uploaded_file=bomb, by=officer
        )

    assert not EvidenceFile.objects.exists()


def test_a_docx_declaring_small_sizes_that_inflates_past_the_limit_is_refused(yte, officer, leaf):
    # Issue 12 item 9: 611 KB on the wire, 4 KB declared, hundreds of MB inflated.
    from tests.kernel.test_zipguard import lying

    bomb = docx_inflating_to(MAX_UNZIPPED_BYTES + 1024 * 1024)
    crafted = lying(bomb.read(), "word/media/padding.bin", 4096)
    assert zipfile.ZipFile(io.BytesIO(crafted)).getinfo("word/media/padding.bin").file_size == 4096
    with pytest.raises(ValidationError):
        services.evidence_upload(
            participation=yte,
            criterion=leaf("1.1"),
            uploaded_file=SimpleUploadedFile("bao-cao.docx", crafted),
            by=officer,
        )
    assert not EvidenceFile.objects.exists()
