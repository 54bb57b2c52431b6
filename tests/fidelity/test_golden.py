"""Scripts in tests/golden print exactly what real Torch7's `th` printed (byte for byte)."""

from __future__ import annotations

from pathlib import Path

import pytest

from luatorch.pytest_plugin import check_golden

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "golden"


# every NAME.lua with a NAME.out beside it (tests/golden is a copy of real Torch7's transcripts)
PAIRS = sorted(p for p in GOLDEN_DIR.glob("*.lua") if p.with_suffix(".out").is_file())


def test_golden_transcripts_present() -> None:
    assert len(PAIRS) >= 4, f"golden transcripts missing from {GOLDEN_DIR}"


@pytest.mark.parametrize("script", PAIRS, ids=[p.stem for p in PAIRS])
def test_golden_transcript(script: Path) -> None:
    check_golden(script)


SHARED_GOLDEN = Path(__file__).resolve().parents[3] / "shared" / "golden"


@pytest.mark.skipif(not SHARED_GOLDEN.is_dir(), reason="../shared/golden is not beside this clone")
def test_golden_copy_is_current() -> None:
    """tests/golden is byte-identical to ../shared/golden where that exists."""
    for src in SHARED_GOLDEN.rglob("*"):
        if src.is_file():
            copy = GOLDEN_DIR / src.relative_to(SHARED_GOLDEN)
            assert copy.is_file() and copy.read_bytes() == src.read_bytes(), copy
