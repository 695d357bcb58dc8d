"""The build tooling of the compendium: Sphinx extensions, the parallel prefill, ``make check``, ``make chapter``,
``make lock-data`` and the benchmark. Notebooks never import it, so editing it never empties the execution
cache (see :mod:`bookbuild.project`)."""
