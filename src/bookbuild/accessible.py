"""Sphinx extension: repair what the theme and the extensions write that fails WCAG 2.2 A/AA checks.

The browser tests audit every page with axe-core (``tests/test_browser.py``). What it found, and where it is
repaired (templates in ``book/_templates/components`` take care of the rest):

* **An empty ``<summary>``** (``summary-name``): the theme's sidebar wraps each chapter with sections in a
  ``<details>`` whose ``<summary>`` holds only a chevron icon. :func:`label_empty_summaries` gives each a
  visually hidden name ("Sections of …").
* **Names that differ from the visible label** (``label-content-name-mismatch``): myst-nb's "Show code cell
  source" toggles carry ``aria-label="Toggle hidden content"``; without it their name is the visible text.
  (The search and colour-mode buttons are fixed by template overrides.)
* **A deprecated ARIA role** (``aria-deprecated-role``, ``aria-required-children``): docutils marks each
  reference of the bibliography ``role="doc-biblioentry"`` inside a ``role="list"``; a list item it is.
* **A header cell with no text** (``td-has-header``): a table whose first column is a plain row number
  may leave its header empty; the cell gets a visually hidden name so that every data cell has a header.

Each repair is a small text transformation of the HTML that Sphinx is about to write, applied in
``html-page-context`` after the theme has filled the page's context. They change nothing a sighted reader
sees.
"""

from __future__ import annotations

import re

from markupsafe import Markup
from sphinx.application import Sphinx

#: Bootstrap's class (shipped with the theme) for text that only assistive technology reads.
HIDDEN = "visually-hidden"

SIDEBAR_ITEM = re.compile(
    r'(<a class="[^"]*\breference\b[^"]*" href="[^"]*">(?P<title>(?:(?!</a>).)*)</a>\s*<details[^>]*>\s*)<summary>'
    r'(?=\s*<span class="toctree-toggle")', re.S)
HIDE_INPUT_SUMMARY = '<summary aria-label="Toggle hidden content">'
BIBLIOGRAPHY_ROLE = 'role="doc-biblioentry"'
EMPTY_HEADER_CELL = re.compile(r'<th class="head"( [^>]*)?><p></p></th>')
TAGS = re.compile(r"<[^>]+>")


def label_empty_summaries(html: str) -> str:
    """Give every sidebar ``<summary>`` that holds only a toggle icon a visually hidden name.

    Parameters
    ----------
    html
        The sidebar navigation as the theme renders it.

    Returns
    -------
    str
        The same HTML, each such summary starting with ``<span class="visually-hidden">Sections of
        <title></span>``.
    """
    def named(match: re.Match) -> str:
        title = TAGS.sub("", match.group("title")).strip()
        return f'{match.group(1)}<summary><span class="{HIDDEN}">Sections of {title}</span>'

    return SIDEBAR_ITEM.sub(named, html)


def name_empty_header_cells(html: str) -> str:
    """Give every empty table header cell a visually hidden name ("Number").

    Parameters
    ----------
    html
        A page body.

    Returns
    -------
    str
        The body with each ``<th class="head"><p></p></th>`` holding a hidden "Number".
    """
    return EMPTY_HEADER_CELL.sub(lambda m: f'<th class="head"{m.group(1) or ""}><p><span class="{HIDDEN}">Number'
                                 '</span></p></th>', html)


def repair_body(html: str) -> str:
    """Apply every body repair: toggle names, bibliography roles, empty header cells.

    Parameters
    ----------
    html
        A page body as Sphinx rendered it.

    Returns
    -------
    str
        The repaired body.
    """
    html = html.replace(HIDE_INPUT_SUMMARY, "<summary>")
    html = html.replace(BIBLIOGRAPHY_ROLE, 'role="listitem"')
    return name_empty_header_cells(html)


def wrap_toctree(generate):
    """Wrap the theme's ``generate_toctree_html`` so that what it returns has named summaries.

    Parameters
    ----------
    generate
        The theme's function (it returns a BeautifulSoup object, which the template prints as HTML).

    Returns
    -------
    callable
        A function with the same signature.
    """
    def generate_labelled(kind, *args, **kwargs):
        result = generate(kind, *args, **kwargs)
        if kind == "raw":
            return result
        return Markup(label_empty_summaries(str(result)))

    return generate_labelled


def repair_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context`` handler: repair the body and the sidebar of one page."""
    if isinstance(context.get("body"), str):
        context["body"] = repair_body(context["body"])
    if callable(context.get("generate_toctree_html")):
        context["generate_toctree_html"] = wrap_toctree(context["generate_toctree_html"])


def setup(app: Sphinx) -> dict:
    """Register the repairs after the theme's own handlers (priority 900)."""
    app.connect("html-page-context", repair_page, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
