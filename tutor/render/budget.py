"""The drawing's part of a lesson's budget (SECURITY.md): every graph drawn as the app and `tutor show` draw
it, with forward and backward values and in either language, covers at most MAX_DRAWING_CELLS terminal
cells. The layout stops as soon as a part of the drawing is over it, before anything is drawn. The lessons
package cannot check this itself (it knows nothing of drawings); the pack reader, `tutor check` and
`tutor show` do."""

from ..lessons import Issue, Lesson, LessonError, text
from ..lessons.safe_yaml import escaped_name
from .graph import DrawingTooLarge, layout_graph

MAX_DRAWING_CELLS = 30_000  # the course's largest drawing covers 2,720 (80 × 34)


class TooLargeToDraw(LessonError):
    """A lesson with a graph whose drawing is over the budget."""


def drawing_error(lesson: Lesson) -> TooLargeToDraw | None:
    """The lesson's graphs whose drawings are too large, at the graph's line:col; None when all fit. Kept
    in the lesson's memo: `tutor check` finds it in the process that read the lesson."""
    if "drawing_error" not in lesson.memo:
        lesson.memo["drawing_error"] = _drawing_error(lesson)
    return lesson.memo["drawing_error"]


def _drawing_error(lesson: Lesson) -> TooLargeToDraw | None:
    instance = lesson.instance()
    issues = []
    for name, spec in lesson.graphs.items():
        drawn = []
        for lang in ("ko", "en"):
            labels = {node: text(label, lang) for node, label in spec.labels.items()}
            if labels in drawn:
                continue  # labels are all a drawing has in a language of its own
            drawn.append(labels)
            try:
                layout_graph(instance.graph(name), values="both", labels=labels, max_cells=MAX_DRAWING_CELLS,
                             upstream=spec.upstream)
            except DrawingTooLarge as e:
                line, col = lesson.positions.get(("graphs", name), (1, 1))
                issues.append(Issue(escaped_name(lesson.path), line, col, f"graph '{name}': {e}; at most "
                                                                 f"{MAX_DRAWING_CELLS:,} (limit: cells per drawing)"))
                break
    return TooLargeToDraw(issues) if issues else None
