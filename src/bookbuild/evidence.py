"""Sphinx extension: every register value in the prose links to its row in the evidence register.

``{stat}`morris2021-esol-funding-2009-10``` writes the statistic's value as a reader expects it, with its
unit and the report's hedge ("about 15%", "£227 million", "650 people"), as a link to that statistic's row
in the evidence register; hovering shows the report, the section and the source the report cites.

Other formats, where a sentence needs them, follow a colon, separated by spaces (a format may hold a comma):

* ``bare``: leave the qualifier out, because the sentence carries the hedge itself;
* ``number``: the number alone, with neither unit nor qualifier;
* a Python format specification for the number, to round it: ``.0f``, ``,.1f``.

For example ``{stat}`katwala2017-gm-area:bare``` or ``{stat}`katwala2017-hesa-students:bare ,.0f```.

An id the register does not hold is a build warning naming the page, the line and the id (and ``-W``
makes it an error). A page that uses the role depends on ``data/statistics.csv``: when the register
changes, Sphinx reads the page again.

The ``{evidence-register}`` directive renders the register itself, one row per statistic, each row with
the anchor ``stat-<stat_id>`` that the links land on: values formatted by unit, the note, the geography
named and linked as on the place pages, the cited source linked to the references page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from helpers.data import load
from helpers.places import PAGES_DIR, alias_lookup, normalise_name
from helpers.provenance import download_role, pipe_table, write_generated_csv
from helpers.register import format_value

#: The page the links land on.
REGISTER_DOC = "book/appendix/evidence-register"
REGISTER_FILE = "data/statistics.csv"
#: The files the register page shows besides the register: report names, places, aliases.
REGISTER_PAGE_FILES = (REGISTER_FILE, "data/reports.csv", "data/places.csv", "data/place_aliases.csv")
BIBLIOGRAPHY = "book/references.bib"
ROLE_PATTERN = re.compile(r"(?P<stat_id>[a-z0-9][a-z0-9-]*)(?::(?P<options>[^`]*))?")
FORMAT_SPEC = re.compile(r"[,_]?(\.\d+)?[fgde%]?")
#: Where the environment keeps, per page, the statistics it links to (for tests and the register page).
ENV_ATTRIBUTE = "compendium_stats_used"

logger = logging.getLogger(__name__)


def anchor(stat_id: str) -> str:
    """The HTML id of a statistic's row in the evidence register."""
    return f"stat-{stat_id}"


@dataclass(frozen=True)
class Options:
    """How a ``{stat}`` value is to be written."""

    qualified: bool = True
    number_only: bool = False
    spec: str | None = None


def parse_options(text: str | None) -> Options:
    """Read the options after the colon, separated by spaces: ``bare``, ``number`` and a format specification.

    Raises
    ------
    ValueError
        Naming the option that is not understood.
    """
    qualified, number_only, spec = True, False, None
    for option in (text or "").split():
        if option == "bare":
            qualified = False
        elif option == "number":
            number_only = True
        elif FORMAT_SPEC.fullmatch(option) and option:
            spec = option
        else:
            raise ValueError(f"unknown option {option!r}: use bare, number or a format such as .0f")
    return Options(qualified, number_only, spec)


def short_publisher(publisher: str) -> str:
    """``Institute for Public Policy Research (IPPR)`` → ``IPPR``."""
    return publisher[publisher.rfind("(") + 1:publisher.rfind(")")] if publisher.endswith(")") else publisher


def bibliography_labels(root: Path) -> dict[str, str]:
    """Return ``{key: "Author (year)"}`` for every entry of the bibliography, for hover titles."""
    from pybtex.database import parse_file

    labels = {}
    for key, entry in parse_file(str(root / BIBLIOGRAPHY)).entries.items():
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [" ".join(person.last_names).replace("{", "").replace("}", "") for person in people]
        who = (names[0] + (" et al." if len(names) > 2 else f" and {names[1]}" if len(names) == 2 else "")
               if names else entry.fields.get("institution", entry.fields.get("publisher", key)))
        labels[key] = f"{who} ({entry.fields.get('year', 'n.d.')})"
    return labels


@dataclass
class Register:
    """The register as the role needs it: rows by id, and how to describe each one's origin."""

    rows: dict[str, dict]
    reports: dict[str, dict]
    sources: dict[str, str]

    @classmethod
    def read(cls, root: Path) -> "Register":
        register = load("statistics", root=root)
        reports = load("reports", root=root)
        rows = {row["stat_id"]: row for row in register.astype(object).to_dict("records")}
        return cls(rows, {row["report"]: row for row in reports.astype(object).to_dict("records")},
                   bibliography_labels(root))

    def title(self, stat_id: str) -> str:
        """Hover text: report, section and cited source."""
        row = self.rows[stat_id]
        report = self.reports[row["report"]]
        where = f"{short_publisher(report['publisher'])} ({report['year']}), section “{row['section']}”"
        cited = row["primary_source"]
        source = "" if cited == row["report"] else f"; citing {self.sources.get(cited, cited)}"
        return f"{where}{source}. Click for the evidence register."

    def text(self, stat_id: str, options: Options) -> str:
        row = self.rows[stat_id]
        return format_value(row["value"], row["unit"], row["qualifier"], qualified=options.qualified,
                            spec=options.spec, number_only=options.number_only)


class statistic_reference(nodes.Inline, nodes.TextElement):
    """A register value in the prose, resolved to a link once every page is known."""


def register_for(env) -> Register:
    """The register, read once per build process (the role runs on every page that uses it)."""
    app = env.app
    if getattr(app, "_compendium_register", None) is None:
        app._compendium_register = Register.read(Path(env.srcdir))
    return app._compendium_register


def stat_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """The ``{stat}`` role: a register value, formatted, linking to its evidence-register row."""
    env = inliner.document.settings.env
    match = ROLE_PATTERN.fullmatch(text.strip())
    location = (env.docname, lineno)
    if not match:
        logger.warning(f"{{stat}}`{text}`: not a statistic id (expected lower-case letters, digits and "
                       "hyphens, optionally followed by :options)", location=location, type="stat", subtype="syntax")
        return [nodes.literal(rawtext, text)], []
    stat_id = match["stat_id"]
    env.note_dependency(REGISTER_FILE)
    register = register_for(env)
    if stat_id not in register.rows:
        logger.warning(f"unknown statistic '{stat_id}' in {{stat}}: no row of {REGISTER_FILE} has this stat_id",
                       location=location, type="stat", subtype="unknown")
        return [nodes.literal(rawtext, stat_id)], []
    try:
        formatting = parse_options(match["options"])
    except ValueError as error:
        logger.warning(f"{{stat}}`{text}`: {error}", location=location, type="stat", subtype="options")
        formatting = Options()
    getattr(env, ENV_ATTRIBUTE).setdefault(env.docname, set()).add(stat_id)
    shown = register.text(stat_id, formatting)
    node = statistic_reference(rawtext, shown, stat_id=stat_id, reftitle=register.title(stat_id), classes=["stat"])
    return [node], []


class ResolveStatistics(SphinxPostTransform):
    """Turn each register value into a link to its row, relative to the page it is on (or plain text when
    the register page is not part of this build, as in a trimmed test build)."""

    default_priority = 5

    def run(self, **kwargs) -> None:
        has_register = REGISTER_DOC in self.env.all_docs
        for node in list(self.document.findall(statistic_reference)):
            text = node.astext()
            if not has_register:
                node.replace_self(nodes.inline(text, text, classes=["stat"]))
                continue
            fragment = "#" + anchor(node["stat_id"])
            uri = fragment if self.env.docname == REGISTER_DOC else (
                self.app.builder.get_relative_uri(self.env.docname, REGISTER_DOC) + fragment)
            link = nodes.reference(text, text, refuri=uri, reftitle=node["reftitle"], internal=True,
                                   classes=["stat"])
            node.replace_self(link)


def place_links(geography: str, lookup: dict[str, list[str]], names: dict[str, str], pages: set[str]) -> str:
    """Name a register geography as the place pages do, each place linked to its page when the build has it;
    a geography that names no place (a national total) is shown as the report wrote it."""
    ids = lookup.get(normalise_name(geography), [])
    if not ids:
        return geography
    page = {i: (PAGES_DIR / i).as_posix() for i in ids}
    return "; ".join(f"[{names[i]}](/{page[i]}.md)" if page[i] in pages else names[i] for i in ids)


class EvidenceRegister(SphinxDirective):
    """``{evidence-register}``: the register as a table with an anchor per statistic."""

    def run(self) -> list[nodes.Node]:
        root = Path(self.env.srcdir)
        for path in REGISTER_PAGE_FILES:
            self.env.note_dependency(path)
        register = load("statistics", root=root)
        reports = load("reports", root=root).set_index("report")
        places = load("places", root=root)
        lookup = alias_lookup(load("place_aliases", root=root))
        names = dict(zip(places["place_id"], places["name"]))
        pages = set(self.env.found_docs)
        shown = pd.DataFrame({
            "Statistic": register["stat_id"].map(lambda s: f"`{s}`"),
            "Report and section": [f"{{cite:t}}`{r}`, *{s}*"
                                   for r, s in zip(register["report"], register["section"])],
            "What": register["indicator"],
            "Where": register["geography"].map(lambda g: place_links(g, lookup, names, pages)),
            "When": register["period"],
            "Value": [format_value(v, u, q) for v, u, q in zip(register["value"], register["unit"],
                                                                  register["qualifier"])],
            "Cited source": register["primary_source"].map(lambda k: f"{{cite:t}}`{k}`"),
            "Note": register["note"].fillna(""),
        })
        csv_path = write_generated_csv(register, "evidence-register", drawn_from={"statistics": "stat_id"})
        text = (f"```{{table}} Every statistic the four reports quote, as recorded in `{REGISTER_FILE}`.\n"
                f":name: tbl-evidence-register\n\n{pipe_table(shown)}\n```\n\n"
                f"Source: `{REGISTER_FILE}`. {download_role(csv_path, 'the whole register')}\n")
        parsed = self.parse_text_to_nodes(text)
        for table in (t for node in parsed for t in node.findall(nodes.table)):
            table["classes"] += ["evidence-register", "filterable"]
        rows = [row for table in parsed for tbody in table.findall(nodes.tbody) for row in tbody.findall(nodes.row)]
        if len(rows) != len(register):
            raise self.error(f"the register table has {len(rows)} rows for {len(register)} statistics")
        for row, stat_id in zip(rows, register["stat_id"]):
            row["ids"].append(anchor(stat_id))
            self.state.document.ids[anchor(stat_id)] = row
        summary = (f"The register holds {len(register)} statistics from {register['report'].nunique()} reports, "
                   f"citing {register['primary_source'].nunique()} distinct sources.")
        return [nodes.paragraph(summary, summary), *parsed]


def start_build(app: Sphinx, env, docnames) -> None:
    """Forget the register read by an earlier build, and the links of the pages about to be read again."""
    app._compendium_register = None
    used = getattr(env, ENV_ATTRIBUTE, None)
    if used is None:
        setattr(env, ENV_ATTRIBUTE, {})
    for docname in docnames:
        getattr(env, ENV_ATTRIBUTE).pop(docname, None)


def forget_page(app: Sphinx, env, docname: str) -> None:
    getattr(env, ENV_ATTRIBUTE, {}).pop(docname, None)


def setup(app: Sphinx) -> dict:
    """Register the role, the directive and the link resolution."""
    app.add_node(statistic_reference)
    app.add_role("stat", stat_role)
    app.add_directive("evidence-register", EvidenceRegister)
    app.add_post_transform(ResolveStatistics)
    app.connect("env-before-read-docs", start_build)
    app.connect("env-purge-doc", forget_page)
    return {"version": "1", "parallel_read_safe": False, "parallel_write_safe": True, "env_version": 1}
