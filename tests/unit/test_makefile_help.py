"""`make help` is the first thing a newcomer runs: it must read as plain text (issue #10: it printed
`$${HEARD_PORT:-8000}` literally, a shell expansion that never happens inside a help comment)."""

from __future__ import annotations

import re
from pathlib import Path

MAKEFILE = Path(__file__).resolve().parents[2] / "Makefile"


def test_help_texts_carry_no_unexpanded_make_or_shell_variables() -> None:
    # Given the "## help" comments that `make help` prints as they are written
    helps = [
        line.split("## ", 1)[1]
        for line in MAKEFILE.read_text("utf-8").splitlines()
        if re.match(r"^[a-z-]+:.*## ", line)
    ]
    assert helps
    # Then none holds a variable reference, which would be printed literally
    assert [h for h in helps if "$" in h] == []
