"""export_results: the results document of INTERFACES §4, checked against a hand count."""

import io
import json

import pytest
from django.core.management import CommandError, call_command


def export(tmp_path, year: int = 2022) -> dict:
    out = tmp_path / "results.json"
    call_command("export_results", "--year", str(year), "--out", str(out), stdout=io.StringIO())
    return json.loads(out.read_text(encoding="utf-8"))


def test_results_document_matches_a_hand_computation(small_year, tmp_path):
    call_command("compute_results", "--year", "2022", stdout=io.StringIO())

    document = export(tmp_path)

    # A1: area 1 = 1,5 + 1 (85,5 % on the rubric 100:2;80:1) − 0,25 deducted = 2,25 of 4;
    # survey 2.1.1 = 1 × (1 + 0,75) / 2 counted (E is not counted) = 0,875, 2.1.2 = 1,5 ×
    # 0,75 = 1,125, 2.2 has no answer = 0: area 2 = 2 of 3,5. Total 4,25 / 7,5 = 56,67 %.
    # A18: 1.2 not applicable → area 1 = 2 of 2; survey 0,625 + 0 + 0 = 0,625 of 3,5.
    # Total 2,625 / 5,5 = 47,73 %.
    assert document == {
        "year": 2022,
        "status": "draft",
        "published_on": None,
        "revision": 1,
        "sipas_index": None,
        "blocks": [
            {
                "code": "A",
                "name": "Sở, ban, ngành tỉnh",
                "sipas_index": None,
                "units": [
                    {
                        "code": "A1",
                        "name": "Sở Giao thông vận tải",
                        "total": "4.250",
                        "max": "7.500",
                        "index": "56.67",
                        "rank": 1,
                        "rank_change": None,
                        "band": 0,
                        "band_name": None,
                        "classification": "khong_hoan_thanh",
                        "self_review": ["1"],
                        "index_change": None,
                        "predecessors": [],
                        "sipas": None,
                        "areas": [
                            {
                                "code": "1",
                                "score": "2.250",
                                "max": "4.000",
                                "index": "56.25",
                                "change": None,
                            },
                            {
                                "code": "2",
                                "score": "2.000",
                                "max": "3.500",
                                "index": "57.14",
                                "change": None,
                            },
                        ],
                        "warnings": ["2.2: không có phiếu điều tra hợp lệ (tính 0 điểm)"],
                    },
                    {
                        "code": "A18",
                        "name": "Sở Y tế",
                        "total": "2.625",
                        "max": "5.500",
                        "index": "47.73",
                        "rank": 2,
                        "rank_change": None,
                        "band": 0,
                        "band_name": None,
                        "classification": "khong_hoan_thanh",
                        "self_review": [],
                        "index_change": None,
                        "predecessors": [],
                        "sipas": None,
                        "areas": [
                            {
                                "code": "1",
                                "score": "2.000",
                                "max": "2.000",
                                "index": "100.00",
                                "change": None,
                            },
                            {
                                "code": "2",
                                "score": "0.625",
                                "max": "3.500",
                                "index": "17.86",
                                "change": None,
                            },
                        ],
                        "warnings": ["2.2: không có phiếu điều tra hợp lệ (tính 0 điểm)"],
                    },
                ],
            }
        ],
    }


def test_export_before_compute_is_refused(small_year, tmp_path):
    with pytest.raises(CommandError, match="chưa được tính chỉ số"):
        export(tmp_path)


def test_export_of_an_unknown_year_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="Không có năm đánh giá 2030"):
        export(tmp_path, 2030)
