"""Rendered files are kept until what they show changes."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from criteria.models import Year
from evidence.models import Score
from reports.models import RenderedFile
from reports.services import document_refresh, stale_specs

pytestmark = pytest.mark.django_db


@pytest.fixture
def jobs_on_commit_now(monkeypatch):
    """The job is sent on commit; a test runs inside a transaction that never commits."""
    monkeypatch.setattr("django.db.transaction.on_commit", lambda func, *a, **k: func())


def stored(year):
    return {
        (f.kind, f.key): (f.digest, f.file.name, f.rendered_at)
        for f in RenderedFile.objects.filter(year=year)
    }


def test_a_second_render_with_unchanged_results_renders_nothing(
    rendered, jobs_on_commit_now, tmp_path, capsys
):
    year = Year.objects.get(year=2022)
    before = stored(year)
    assert len(before) == 34  # 30 annexes, summary, report PDF and DOCX, zip
    call_command("render_reports", year=2022, out=str(tmp_path))
    assert "0 tài liệu kết xuất mới" in capsys.readouterr().out
    assert stored(year) == before
    assert len(list(tmp_path.iterdir())) == 34


def test_every_document_is_fresh_after_the_render(rendered):
    specs, stale = stale_specs(Year.objects.get(year=2022))
    assert len(specs) == 33 and stale == []


def test_a_changed_appraisal_note_makes_only_that_annex_stale(rendered):
    year = Year.objects.get(year=2022)
    score = Score.objects.filter(participation__year=year, participation__unit__code="A5").first()
    score.appraisal_note = "Ý kiến thẩm định đã sửa."
    score.save(update_fields=["appraisal_note"])
    _specs, stale = stale_specs(year)
    assert [(s.kind, s.key) for s in stale] == [("annex", "A5")]


def test_a_changed_self_score_also_changes_the_gap_analysis_of_report_and_summary(rendered):
    year = Year.objects.get(year=2022)
    score = (
        Score.objects.filter(
            participation__year=year,
            participation__unit__code="B3",
            self_score__isnull=False,
            criterion__rubric=[],
        )
        .exclude(self_score=0)
        .first()
    )
    score.self_score = 0
    score.save(update_fields=["self_score"])
    _specs, stale = stale_specs(year)
    assert {(s.kind, s.key) for s in stale} == {
        ("annex", "B3"),
        ("summary", ""),
        ("report", ""),
        ("report_docx", ""),
    }


def test_inputs_changed_since_the_computation_are_refused(rendered):
    year = Year.objects.get(year=2022)
    score = Score.objects.filter(participation__year=year, appraised_score__gt=0).first()
    score.appraised_score = 0
    score.save(update_fields=["appraised_score"])
    with pytest.raises(ValidationError, match="tính lại chỉ số"):
        stale_specs(year)


def test_an_annex_of_a_unit_whose_inputs_changed_is_refused(rendered):
    year = Year.objects.get(year=2022)
    score = Score.objects.filter(
        participation__year=year, participation__unit__code="B4", appraised_score__gt=0
    ).first()
    score.appraised_score -= 1
    score.save(update_fields=["appraised_score"])
    with pytest.raises(ValidationError, match="tính lại chỉ số"):
        document_refresh(year=year, kind=RenderedFile.Kind.ANNEX, key="B4")
