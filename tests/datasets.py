"""Where the shared Arabic review datasets live (test and benchmark data, never shipped).

They sit beside the repository (../shared/datasets/arabic-reviews). A clone made
elsewhere finds them through ARABIC_REVIEWS_DIR or the workspace's shared folder.
"""

import os
from pathlib import Path

_CANDIDATES = [
    os.environ.get("ARABIC_REVIEWS_DIR", ""),
    str(Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "arabic-reviews"),
    "/work/shared/datasets/arabic-reviews",
]


def arabic_reviews_dir() -> Path:
    """The first folder that holds the datasets; the last candidate if none does."""
    for candidate in filter(None, _CANDIDATES):
        path = Path(candidate)
        if (path / "RES1.csv").is_file():
            return path
    return Path(_CANDIDATES[-1])
