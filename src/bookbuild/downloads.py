"""Sphinx extension: offer each chapter as an executed notebook, and the whole book as a PDF when it exists.

**Executed notebooks.** Every page built from a MyST notebook offers ``_sources/<page>.ipynb`` in its
download menu: the notebook with the outputs the build used, so that a reader can open it in any notebook
viewer. It takes the place of the theme's copy, which is myst-nb's ``_build/jupyter_execute/<page>.ipynb``:
myst-nb 1.4 writes that file *without* the outputs it took from the execution cache, and with random cell
ids. The outputs come from the cache instead, and the copy is made deterministic so that two clean builds
of one commit stay byte-identical: cell ids are numbered (``cell-001``…), timing metadata is dropped, keys
are sorted. Each figure the notebook saved is also embedded after the output that shows it, as an SVG
output with the figure's alt text, because a notebook viewer cannot render the MyST ``{figure}`` the book
uses.

**The PDF.** ``make pdf`` (:mod:`bookbuild.pdf`) prints the book to ``_build/pdf/compendium.pdf`` and records
the fingerprint of the inputs it was made from. A build whose inputs have that same fingerprint copies the
PDF to the site's root and adds "Whole book (.pdf)" to every page's download menu; any other build does
neither, and removes an old copy from the site. So no page ever links to a PDF that is missing, or that was
made from other sources.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import nbformat
from sphinx.application import Sphinx

#: Where ``make pdf`` writes the book and the record of what it was made from.
PDF_DIR = Path("_build") / "pdf"
PDF_NAME = "compendium.pdf"
PDF_RECORD = "compendium.json"
#: Where the theme puts a page's notebook for download (``_sources/<page>.ipynb``); the executed copy
#: replaces the theme's, which is myst-nb's output-less one with random cell ids.
NOTEBOOK_FOLDER = "_sources"
#: A figure as the helpers emit it: a MyST ``{figure}`` of a file under ``_build/generated``.
FIGURE = re.compile(r"^`{3,}\{figure\} /(?P<path>_build/generated/[^\s]+\.svg)\s*\n(?::alt: (?P<alt>[^\n]*))?")
#: Cell metadata that records when and how long a cell ran: it differs between runs.
TIMING_KEYS = ("execution",)


def executed_notebook(source: Path, cache_dir: Path):
    """Return the notebook of ``source`` with the outputs the execution cache holds for it.

    Parameters
    ----------
    source
        The MyST Markdown notebook.
    cache_dir
        The jupyter-cache folder the build uses.

    Returns
    -------
    nbformat.NotebookNode or None
        The notebook with outputs, or None when the cache holds none for its current code.
    """
    from jupyter_cache import get_cache
    from jupyter_cache.readers import get_reader

    from bookbuild.prefill import MYST_READER

    notebook = get_reader(MYST_READER)(str(source))
    try:
        _, merged = get_cache(str(cache_dir)).merge_match_into_notebook(notebook)
    except KeyError:
        return None
    return merged


def make_deterministic(notebook) -> None:
    """Number the cell ids and drop timing metadata, in place, so the same outputs give the same bytes.

    Parameters
    ----------
    notebook
        An nbformat 4.5 notebook.
    """
    width = max(3, len(str(len(notebook.cells))))
    for index, cell in enumerate(notebook.cells, start=1):
        cell["id"] = f"cell-{index:0{width}d}"
        for key in TIMING_KEYS:
            cell.get("metadata", {}).pop(key, None)
    notebook.metadata.pop("source_map", None)  # myst-nb's line map of the Markdown file, of no use here


def embed_figures(notebook, root: Path) -> int:
    """After each output that shows a saved figure, add the figure itself as an SVG output.

    Parameters
    ----------
    notebook
        The executed notebook.
    root
        The project root, under which ``_build/generated`` holds the figures.

    Returns
    -------
    int
        How many figures were embedded.
    """
    embedded = 0
    for cell in notebook.cells:
        outputs = []
        for output in cell.get("outputs", []):
            outputs.append(output)
            match = FIGURE.match(str(output.get("data", {}).get("text/markdown", "")))
            if not match or not (root / match["path"]).is_file():
                continue
            svg = (root / match["path"]).read_text(encoding="utf-8")
            outputs.append(nbformat.v4.new_output("display_data", data={
                "image/svg+xml": svg, "text/plain": match["alt"] or Path(match["path"]).stem}))
            embedded += 1
        if "outputs" in cell:
            cell["outputs"] = outputs
    return embedded


def notebook_bytes(notebook) -> bytes:
    """Serialise a notebook as nbformat does (sorted keys, one-space indent), ending with a newline."""
    return (nbformat.writes(notebook) + "\n").encode("utf-8")


def publish_notebook(source: Path, destination: Path, root: Path, cache_dir: Path) -> bool:
    """Write the deterministic executed copy of ``source`` to ``destination``; return whether it exists.

    Parameters
    ----------
    source
        The MyST Markdown notebook.
    destination
        Where the ``.ipynb`` goes in the site.
    root
        The project root.
    cache_dir
        The execution cache.

    Returns
    -------
    bool
        True when the copy was written (the cache held outputs for the notebook).
    """
    notebook = executed_notebook(source, cache_dir)
    if notebook is None:
        return False
    make_deterministic(notebook)
    embed_figures(notebook, root)
    content = notebook_bytes(notebook)
    if not destination.is_file() or destination.read_bytes() != content:
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(content)
    return True


def pdf_is_current(root: Path, fingerprint: str) -> bool:
    """Whether ``_build/pdf`` holds a PDF made from inputs with ``fingerprint``.

    Parameters
    ----------
    root
        The project root.
    fingerprint
        The fingerprint of the current build inputs (:func:`bookbuild.build.build_fingerprint`).
    """
    record = root / PDF_DIR / PDF_RECORD
    if not (root / PDF_DIR / PDF_NAME).is_file() or not record.is_file():
        return False
    return json.loads(record.read_text(encoding="utf-8")).get("fingerprint") == fingerprint


def file_digest(path: Path) -> str:
    """The sha256 of a file, as hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def choose_pdf(app: Sphinx, config) -> None:
    """``config-inited``: record the digest of a current PDF (or nothing) as a config value.

    The value takes part in Sphinx's HTML configuration hash, so when a PDF appears or goes, every page
    is written again (not read again) with or without the link.
    """
    from bookbuild.build import build_fingerprint

    root = Path(app.confdir)
    current = pdf_is_current(root, build_fingerprint(root))
    config.compendium_pdf = file_digest(root / PDF_DIR / PDF_NAME) if current else ""


def add_download_links(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context``: publish a notebook page's executed copy; add it (and the PDF) to the menu."""
    from bookbuild.prefill import is_notebook

    group = next((b for b in context.get("header_buttons", []) if b.get("label") == "download-buttons"), None)
    if group is None:
        return
    pathto = context["pathto"]
    buttons = group["buttons"]
    theirs = next((b for b in buttons if b.get("label") == "download-notebook-button"), None)
    if pagename in app.env.found_docs:
        source = Path(app.env.doc2path(pagename))
        root = Path(app.confdir)
        cache_dir = root / (getattr(app.config, "nb_execution_cache_path", "") or "_build/.jupyter_cache")
        destination = Path(app.outdir) / NOTEBOOK_FOLDER / f"{pagename}.ipynb"
        if source.suffix == ".md" and is_notebook(source):
            if publish_notebook(source, destination, root, cache_dir):
                ours = {"type": "link", "url": pathto(f"{NOTEBOOK_FOLDER}/{pagename}.ipynb", 1),
                        "text": ".ipynb (with outputs)", "icon": "fas fa-code",
                        "tooltip": "Download this chapter as a notebook with its outputs",
                        "label": "download-notebook-button"}
                buttons.insert(buttons.index(theirs) if theirs else 0, ours)
            elif destination.is_file():
                destination.unlink()  # the theme's copy has no outputs: offer none rather than that
    if theirs is not None:
        buttons.remove(theirs)
    if app.config.compendium_pdf:
        buttons.append({
            "type": "link", "url": pathto(PDF_NAME, 1), "text": "Whole book (.pdf)",
            "tooltip": "Download the whole book as one PDF", "icon": "fas fa-book",
            "label": "download-book-pdf-button"})


def copy_pdf(app: Sphinx, exception) -> None:
    """``build-finished``: put the current PDF in the site, or take an outdated one away."""
    if exception is not None or app.builder.format != "html" or app.builder.name != "html":
        return
    target = Path(app.outdir) / PDF_NAME
    source = Path(app.confdir) / PDF_DIR / PDF_NAME
    if app.config.compendium_pdf and source.is_file():
        if not target.is_file() or file_digest(target) != app.config.compendium_pdf:
            shutil.copyfile(source, target)
    elif target.is_file():
        target.unlink()


def setup(app: Sphinx) -> dict:
    """Register the config value and the handlers (after the theme has made its download menu)."""
    app.add_config_value("compendium_pdf", "", "html")
    app.connect("config-inited", choose_pdf)
    app.connect("html-page-context", add_download_links, priority=600)
    app.connect("build-finished", copy_pdf)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
