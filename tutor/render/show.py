"""`tutor show`: a lesson's graphs as text, for the terminal or a handout."""

from rich.text import Text

from .graph import render_graph


def lesson_drawings(lesson, graph: str | None = None, backward: bool = False, ascii: bool = False,
                    lang: str = "ko", width: int | None = 80) -> list[Text]:
    """Every graph of ``lesson`` (or the one named), each under its name, in the learner's language.

    Raises KeyError with a readable message when the lesson has no graphs or ``graph`` is not one of them."""
    from ..lessons import text

    names = list(lesson.graphs)
    if not names:
        raise KeyError("this lesson has no graphs")
    if graph is not None:
        if graph not in lesson.graphs:
            raise KeyError(f"no graph named '{graph}' (this lesson has: {', '.join(names)})")
        names = [graph]
    from .budget import drawing_error

    if error := drawing_error(lesson):
        raise error
    instance = lesson.instance()
    lines: list[Text] = []
    for name in names:
        labels = {node: text(label, lang) for node, label in lesson.graphs[name].labels.items()}
        if len(names) > 1 or graph is None:
            if lines:
                lines.append(Text())
            lines.append(Text(f"[{name}]", style="bold"))
        lines += render_graph(instance.graph(name), values="both" if backward else "forward",
                              ascii=ascii, width=width, labels=labels, upstream=lesson.graphs[name].upstream)
    return lines
