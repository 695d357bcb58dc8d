"""bookbuild.accessible: the repairs that make the theme's pages pass axe-core's WCAG 2.2 A/AA rules.

The browser tests audit the real pages; these check each repair on the HTML the theme and the extensions
write, and that each one is needed (the HTML as written fails the rule's condition)."""

from __future__ import annotations

from bookbuild import accessible

SIDEBAR = ('<li class="toctree-l1 has-children"><a class="reference internal" href="../across/places.html">Places</a>'
           '<details><summary><span class="toctree-toggle" role="presentation"><i class="fa-solid fa-chevron-down">'
           '</i></span></summary><ul><li class="toctree-l2"><a class="reference internal" href="b.html">Bristol</a>'
           '</li></ul></details></li>')
TOGGLE = ('<details class="admonition hide above-input">\n<summary aria-label="Toggle hidden content">\n'
          '<p class="collapsed admonition-title">Show code cell source</p>\n</summary>')
CITATION = '<div role="list" class="citation-list">\n<div class="citation" id="id21" role="doc-biblioentry">'
HEADER_ROW = '<tr class="row-odd"><th class="head"><p></p></th>\n<th class="head"><p>Principle</p></th>'


def test_a_summary_holding_only_an_icon_gets_the_section_s_name():
    repaired = accessible.label_empty_summaries(SIDEBAR)
    assert '<summary><span class="visually-hidden">Sections of Places</span><span class="toctree-toggle"' in repaired
    assert repaired.count("Sections of") == 1


def test_the_current_page_s_open_summary_is_named_too():
    current = SIDEBAR.replace('<a class="reference internal"', '<a class="current reference internal"').replace(
        "<details>", '<details open="open">')
    assert '<details open="open"><summary><span class="visually-hidden">Sections of Places</span>' in \
        accessible.label_empty_summaries(current)


def test_a_summary_is_named_after_its_own_link_not_an_earlier_one():
    html = '<a class="reference internal" href="a.html">Alpha</a></li><li>' + SIDEBAR
    assert "Sections of Places" in accessible.label_empty_summaries(html)
    assert "Sections of Alpha" not in accessible.label_empty_summaries(html)


def test_code_toggles_take_their_name_from_their_visible_text():
    repaired = accessible.repair_body(TOGGLE)
    assert "aria-label" not in repaired and "<summary>" in repaired and "Show code cell source" in repaired


def test_bibliography_entries_become_list_items():
    repaired = accessible.repair_body(CITATION)
    assert "doc-biblioentry" not in repaired and 'role="listitem"' in repaired


def test_an_empty_header_cell_gets_a_hidden_name():
    repaired = accessible.repair_body(HEADER_ROW)
    assert '<th class="head"><p><span class="visually-hidden">Number</span></p></th>' in repaired
    assert "<p>Principle</p>" in repaired


def test_the_repairs_leave_other_html_alone():
    html = '<p>Nothing to repair: <a href="x.html">a link</a>, <summary>Named</summary></p>'
    assert accessible.repair_body(html) == html
    assert accessible.label_empty_summaries(html) == html


def test_the_wrapped_toctree_function_labels_what_the_theme_returns():
    calls = []

    def theme(kind, startdepth=1, **kwargs):
        calls.append((kind, startdepth, kwargs))
        return SIDEBAR

    wrapped = accessible.wrap_toctree(theme)
    assert "Sections of Places" in str(wrapped(kind="sidebar", startdepth=0, maxdepth=4))
    assert wrapped("raw") == SIDEBAR  # the theme's raw form is left as it is
    assert calls[0] == ("sidebar", 0, {"maxdepth": 4})
