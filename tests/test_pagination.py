"""The page links every long list shares (templates/_pagination.html)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation


def _render(number: int, *, items: int = 30, numbered: bool = False, query: str = "") -> str:
    page = Paginator(range(items), 10).get_page(number)
    context = {
        "page_obj": page,
        "label": "Pages of things",
        "previous": "Newer",
        "next": "Older",
    }
    if numbered:
        context["page_range"] = page.paginator.get_elided_page_range(number, on_each_side=1)
    request = RequestFactory().get(f"/list/?{query}")
    with translation.override("en"):
        return render_to_string("_pagination.html", context, request=request)


def test_a_middle_page_links_both_ways_and_says_where_it_is() -> None:
    html = _render(2)

    assert '<nav aria-label="Pages of things">' in html
    assert 'href="?page=1">Newer</a>' in html
    assert 'href="?page=3">Older</a>' in html
    assert 'aria-current="page"><span class="page-link">Page 2 of 3</span>' in html


def test_the_first_and_last_pages_have_one_link() -> None:
    assert "Newer" not in _render(1)
    assert "Older" not in _render(3)


def test_one_page_shows_no_links() -> None:
    assert _render(1, items=5).strip() == ""


def test_numbered_pages_mark_the_current_one_and_elide_the_rest() -> None:
    html = _render(5, items=100, numbered=True)

    assert 'aria-current="page"><span class="page-link">5</span>' in html
    assert 'href="?page=4">4</a>' in html
    assert 'href="?page=10">10</a>' in html
    assert "…" in html
    assert "Page 5 of" not in html


def test_the_links_keep_the_search() -> None:
    assert 'href="?q=pia&amp;page=3"' in _render(2, query="q=pia&page=2")
