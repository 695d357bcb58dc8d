"""Run the book's chapters as plain notebooks, outside the book build, the way a reader would.

A reader who downloads a chapter, or opens it in JupyterLab with jupytext, runs it top to bottom in a
fresh kernel started from the chapter's own folder, with none of what the build provides: no
``COMPENDIUM_ROOT`` in the environment, no Sphinx, no execution cache. This module does exactly that, one
notebook per child process (so each starts from a clean environment), several at a time:

* :func:`read_notebook` converts a MyST Markdown notebook with jupytext;
* :func:`execute_notebook` runs it with nbclient in its own folder and returns the error, if any;
* :func:`run_notebooks` runs a list of notebooks in parallel child processes.

``python -m bookbuild.plainrun book/reports/morris2021.md …`` runs the named notebooks (every notebook of
the table of contents when none is named) and prints one line per notebook.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

#: Environment variables the book build sets and a reader's kernel never has.
BUILD_ONLY_VARIABLES = ("COMPENDIUM_ROOT",)
#: Seconds one notebook may run (the build allows 120 s; a plain run gets the same).
TIMEOUT = 120


def read_notebook(path: Path):
    """Convert a MyST Markdown notebook (or any format jupytext reads) into an nbformat notebook.

    Parameters
    ----------
    path
        The notebook's source file, e.g. ``book/reports/morris2021.md``.

    Returns
    -------
    nbformat.NotebookNode
        The notebook, without outputs.
    """
    import jupytext

    return jupytext.read(path)


def execute_notebook(path: Path, timeout: int = TIMEOUT) -> str | None:
    """Execute one notebook top to bottom in a fresh kernel started in the notebook's folder.

    Parameters
    ----------
    path
        The notebook's source file.
    timeout
        Seconds any one cell may run.

    Returns
    -------
    str or None
        None when every cell ran; otherwise the error (the failing cell's traceback, shortened), or a
        note that jupytext found no code cell to run (a page it did not read as a notebook).
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = read_notebook(path)
    if not any(cell.cell_type == "code" for cell in notebook.cells):
        return f"no code cell in {path.name}: jupytext did not read it as a notebook (is its format named?)"
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute(cwd=str(path.parent))
    except CellExecutionError as error:
        return str(error)[-3000:]
    return None


def plain_environment(environment: dict[str, str] | None = None) -> dict[str, str]:
    """Return a copy of ``environment`` (default: this process's) without the build's own variables.

    Parameters
    ----------
    environment
        The environment to start from.

    Returns
    -------
    dict
        The environment a reader's kernel would have.
    """
    source = os.environ if environment is None else environment
    return {name: value for name, value in source.items() if name not in BUILD_ONLY_VARIABLES}


def run_in_child(path: Path, timeout: int = TIMEOUT) -> str | None:
    """Execute one notebook in a child Python process with the plain environment, from its own folder.

    Parameters
    ----------
    path
        The notebook's source file.
    timeout
        Seconds any one cell may run.

    Returns
    -------
    str or None
        None when it ran; otherwise what the child printed about the failure.
    """
    path = Path(path).resolve()
    process = subprocess.run([sys.executable, "-m", "bookbuild.plainrun", "--one", str(path)], cwd=path.parent,
                             env=plain_environment(), capture_output=True, text=True, timeout=timeout * 4)
    if process.returncode == 0:
        return None
    return (process.stdout + process.stderr).strip()[-3000:] or f"exit status {process.returncode}"


def run_notebooks(paths: list[Path], workers: int = 2, timeout: int = TIMEOUT) -> dict[Path, str | None]:
    """Execute several notebooks, each in its own child process, ``workers`` at a time.

    Parameters
    ----------
    paths
        The notebooks' source files.
    workers
        How many notebooks run at once.
    timeout
        Seconds any one cell may run.

    Returns
    -------
    dict
        Each path mapped to None (it ran) or its error.
    """
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = pool.map(lambda path: run_in_child(path, timeout), paths)
        return dict(zip(paths, results))


def main(argv: list[str] | None = None) -> int:
    """Run the named notebooks (or all of the book's) as plain notebooks; print one line each."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--one"]:  # inside the child process
        error = execute_notebook(Path(args[1]))
        if error:
            print(error, file=sys.stderr)
        return 1 if error else 0
    from bookbuild.prefill import notebooks
    from helpers.paths import project_root

    paths = [Path(arg) for arg in args] or notebooks(project_root())
    results = run_notebooks(paths, workers=os.cpu_count() or 2)
    for path, error in results.items():
        print(f"{'ok' if error is None else 'FAILED'}  {path}" + (f"\n{error}" if error else ""))
    return 1 if any(results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
