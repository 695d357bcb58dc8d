"""Look each pybtex plugin up once per build, not once per citation.

sphinxcontrib-bibtex asks pybtex for its style plugins every time it resolves a citation, and pybtex 0.26
answers each request by scanning the entry points of every installed distribution. With some four thousand
citations (the place pages cite the reports on every line) that scan took about a quarter of a cold build.
The installed plugins cannot change while Sphinx runs, so the answer to each request is kept for the rest of
the process. Which plugin is found, and so what is rendered, does not change.

Enabled in ``_config.yml`` under ``sphinx: extra_extensions``.
"""

from __future__ import annotations

import functools


def remember_plugin_lookups() -> bool:
    """Wrap pybtex's entry-point lookup in a cache; return whether it was (or already is) wrapped.

    The lookup is a private function of pybtex: if a later pybtex renames it, nothing is wrapped and the
    build is only slower, never different.
    """
    import pybtex.plugin

    lookup = getattr(pybtex.plugin, "_load_entry_point", None)
    if lookup is None:
        return False
    if not hasattr(lookup, "cache_info"):
        pybtex.plugin._load_entry_point = functools.lru_cache(maxsize=None)(lookup)
    return True


def setup(app) -> dict:
    remember_plugin_lookups()
    return {"parallel_read_safe": True, "parallel_write_safe": True}
