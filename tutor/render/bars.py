"""A bar for a share, drawn with the glyph table's blocks (``███░░░``; ``###---`` in ASCII mode): the
app's lesson list and progress screen, and `tutor progress` on a terminal."""

from .glyphs import glyph


def bar(share: float | None, width: int, ascii: bool = False) -> str:
    """``share`` (0 to 1) of ``width`` cells filled, rounded down: the bar is full only when the share is
    whole. None (no figure yet) is ``width`` spaces."""
    if share is None:
        return " " * width
    filled = int(width * min(max(share, 0.0), 1.0))
    return glyph("bar_done", ascii) * filled + glyph("bar_todo", ascii) * (width - filled)
