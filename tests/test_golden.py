"""Scripts in ../shared/golden print exactly what real Torch7's `th` printed (byte for byte)."""

from __future__ import annotations

from pathlib import Path

import pytest

from luatorch.pytest_plugin import check_golden

GOLDEN_DIR = Path(__file__).resolve().parents[2] / "shared" / "golden"


def _pairs() -> list[Path]:
    """Every NAME.lua with a NAME.out beside it."""
    if not GOLDEN_DIR.is_dir():
        return []
    return sorted(p for p in GOLDEN_DIR.glob("*.lua") if p.with_suffix(".out").is_file())


PAIRS = _pairs()


@pytest.mark.skipif(not PAIRS, reason=f"no golden transcripts in {GOLDEN_DIR}")
@pytest.mark.parametrize("script", PAIRS or [None], ids=[p.stem for p in PAIRS] or ["none"])
def test_golden_transcript(script: Path) -> None:
    check_golden(script)
