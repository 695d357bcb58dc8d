"""``make chapter name=<slug>``: start a new executable chapter from the template, ready to build.

It writes ``book/analyses/<slug>.md`` from ``book/_templates/chapter.md`` and lists it under "Your analyses"
in ``_toc.yml``, so that the next ``make book`` renders it. A bad name or an existing chapter is refused
with a message, and nothing is written.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from helpers.paths import project_root

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
TEMPLATE = Path("book") / "_templates" / "chapter.md"
ANALYSES = Path("book") / "analyses"
PART_CAPTION = "Your analyses"


class ChapterError(ValueError):
    """The chapter cannot be created as asked."""


def check_name(name: str) -> str:
    """Return ``name`` if it is a usable slug (lower-case letters, digits, single hyphens); else raise."""
    if not name:
        raise ChapterError("give the chapter a name: make chapter name=my-analysis")
    if not SLUG.fullmatch(name):
        raise ChapterError(f"'{name}' is not a usable name: use lower-case letters, digits and single hyphens, "
                           "e.g. make chapter name=esol-by-region")
    return name


def title_of(slug: str) -> str:
    """A first title from the slug; the author will change it."""
    return slug.replace("-", " ").capitalize()


def toc_with_chapter(toc: str, entry: str) -> str:
    """Return ``_toc.yml`` text with ``entry`` listed last under the "Your analyses" part.

    The part is added before the appendix when it does not exist yet.

    The file is edited as text, not re-dumped, so its comments and layout survive.
    """
    line = f"      - file: {entry}\n"
    lines = toc.splitlines(keepends=True)
    try:
        start = next(i for i, text in enumerate(lines) if text.strip() == f"- caption: {PART_CAPTION}")
    except StopIteration:
        part = f"  - caption: {PART_CAPTION}\n    chapters:\n{line}"
        appendix = next((i for i, text in enumerate(lines) if text.strip() == "- caption: Appendix"), None)
        if appendix is None:
            return toc.rstrip("\n") + "\n" + part
        return "".join(lines[:appendix] + [part] + lines[appendix:])
    end = start + 1
    while end < len(lines) and not lines[end].lstrip().startswith("- caption:"):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1  # keep any blank lines after the part where they were
    return "".join(lines[:end] + [line] + lines[end:])


def create_chapter(root: Path, name: str) -> Path:
    """Write the new chapter and list it in the table of contents; return the chapter's path."""
    slug = check_name(name)
    target = root / ANALYSES / f"{slug}.md"
    entry = (ANALYSES / slug).as_posix()
    toc_path = root / "_toc.yml"
    toc = toc_path.read_text(encoding="utf-8")
    if target.exists() or any(part.exists() for part in (root / "book").rglob(f"{slug}.md")):
        raise ChapterError(f"a chapter called '{slug}' exists already; nothing was changed")
    if re.search(rf"file:\s*\S*/{re.escape(slug)}\s*$", toc, re.M):
        raise ChapterError(f"_toc.yml already lists a chapter called '{slug}'; nothing was changed")
    text = (root / TEMPLATE).read_text(encoding="utf-8").replace("{{title}}", title_of(slug)).replace("{{slug}}", slug)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(text)
    toc_path.write_text(toc_with_chapter(toc, entry), encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    """Create the chapter named on the command line and say where it is."""
    args = sys.argv[1:] if argv is None else argv
    try:
        path = create_chapter(project_root(), args[0] if args else "")
    except ChapterError as error:
        print(f"make chapter: {error}", file=sys.stderr)
        return 2
    print(f"make chapter: created {path.relative_to(project_root())}; it is listed under '{PART_CAPTION}' "
          "in _toc.yml. Run `make book` to see it.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
