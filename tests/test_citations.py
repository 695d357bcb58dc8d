"""bookbuild.citations: pybtex's plugin look-up is remembered, and finds what it found before."""

import pybtex.plugin

from bookbuild import citations


def test_the_lookup_is_remembered_and_finds_the_same_plugins():
    before = pybtex.plugin.find_plugin("pybtex.style.formatting", "plain")
    assert citations.remember_plugin_lookups()
    lookup = pybtex.plugin._load_entry_point
    assert hasattr(lookup, "cache_info")
    lookup.cache_clear()
    found = [pybtex.plugin.find_plugin("pybtex.style.formatting", "plain") for _ in range(5)]
    assert found == [before] * 5
    assert lookup.cache_info().hits >= 4  # one scan of the entry points, then answers from memory


def test_wrapping_twice_keeps_one_cache():
    citations.remember_plugin_lookups()
    first = pybtex.plugin._load_entry_point
    citations.remember_plugin_lookups()
    assert pybtex.plugin._load_entry_point is first
