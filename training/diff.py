"""What changed between two versions of a standard, line by line, side by side."""

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class DiffLine:
    op: str  # equal, insert, delete, replace
    old: str | None
    new: str | None


def side_by_side(old: str, new: str) -> list[DiffLine]:
    """``old`` and ``new`` aligned line by line: unchanged, added, removed or changed."""
    before, after = (old or "").splitlines(), (new or "").splitlines()
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            lines += [DiffLine("equal", line, line) for line in before[i1:i2]]
        elif op == "delete":
            lines += [DiffLine("delete", line, None) for line in before[i1:i2]]
        elif op == "insert":
            lines += [DiffLine("insert", None, line) for line in after[j1:j2]]
        else:
            left, right = before[i1:i2], after[j1:j2]
            for k in range(max(len(left), len(right))):
                lines.append(
                    DiffLine(
                        "replace",
                        left[k] if k < len(left) else None,
                        right[k] if k < len(right) else None,
                    )
                )
    return lines
