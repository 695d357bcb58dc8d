"""``make lock-data``: re-record the hash and size of every file in ``data/datapackage.json``.

Run it after you have edited a data file on purpose, and commit the data change and the new hash together.
It writes only the descriptor; the data files are read, never written.
"""

from __future__ import annotations

import sys

from helpers.data import DataError, record_hashes


def main() -> int:
    """Record the hashes and say which files changed."""
    try:
        changed = record_hashes()
    except DataError as error:
        print(f"lock-data: {error}", file=sys.stderr)
        return 1
    if changed:
        print("lock-data: new hashes recorded for " + ", ".join(changed))
    else:
        print("lock-data: every recorded hash already matches its file")
    return 0


if __name__ == "__main__":
    sys.exit(main())
