"""One wording of a rank change, on the council's and the public pages and in the documents."""

import pytest
from django.template import Context, Template

from appraisal.results import rank_change_words


@pytest.mark.parametrize(
    ("change", "words"),
    [(3, "tăng 3 bậc"), (-2, "giảm 2 bậc"), (0, "giữ nguyên"), (None, "–")],
)
def test_a_rank_change_is_worded_up_down_unchanged_or_without_an_earlier_rank(change, words):
    assert rank_change_words(change) == words


@pytest.mark.parametrize(
    ("change", "html"),
    [
        (3, '<span class="up">tăng 3 bậc</span>'),
        (-2, '<span class="down">giảm 2 bậc</span>'),
        (0, "giữ nguyên"),
        (None, "–"),
    ],
)
def test_the_pages_mark_a_move_up_or_down_for_its_colour(change, html):
    template = Template("{% load appraisal_format %}{{ change|rank_change }}")
    assert template.render(Context({"change": change})) == html


@pytest.mark.parametrize("change", [7, -7, 0, None])
def test_the_printed_annex_says_the_same_words_without_markup(change):
    template = Template("{% load report_format %}{{ change|rank_change }}")
    assert template.render(Context({"change": change})) == rank_change_words(change)
