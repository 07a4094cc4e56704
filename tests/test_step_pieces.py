"""How a step's text is cut into pieces (prose, graphs, blanks), each one widget of the lesson screen."""

from tutor.app.screens.lesson import markdown_parser, split_step
from tutor.lessons import bundled_lessons_dir, load_lessons


def kinds(pieces):
    return [(p.kind, p.value if p.kind != "markdown" else p.value.strip()) for p in pieces]


def test_a_code_fence_with_blank_lines_stays_one_piece():
    text = "Layers:\n\n```python\nclass MulLayer:\n    pass\n\nclass AddLayer:\n    pass\n```\n\nDone."
    assert kinds(split_step(text, [], [], {})) == [("markdown", text.strip())]


def test_an_inline_blank_follows_its_own_paragraph():
    text = "First {{blank a}} here.\n\nSecond paragraph.\n\nThird."
    pieces = kinds(split_step(text, ["a"], [], {"a": "a"}))
    assert pieces == [("markdown", "First [a] here."), ("blank", "a"), ("markdown", "Second paragraph.\n\nThird.")]


def test_a_marker_alone_on_a_line_splits_the_prose_there():
    text = "Before.\n\n{{graph g}}\n\nAfter."
    assert kinds(split_step(text, [], ["g"], {})) == [("markdown", "Before."), ("graph", "g"), ("markdown", "After.")]


def test_every_bundled_code_fence_is_shown_whole():
    """The pieces of every step, in both languages, hold each of its code fences whole: markdown-it
    finds as many fences in the pieces as the step has, each with every line the author wrote."""
    lessons, _ = load_lessons(bundled_lessons_dir())
    parser = markdown_parser()
    fences_seen = 0
    for lesson in lessons:
        for step in lesson.steps:
            for text in (step.ko, step.en):
                written = parser.parse(text)
                pieces = split_step(text, step.blanks, step.graphs, {})
                shown = [t for p in pieces if p.kind == "markdown" for t in parser.parse(p.value)]
                codes = [t.content for t in written if t.type == "fence"]
                assert [t.content for t in shown if t.type == "fence"] == codes, (lesson.id, step.ko[:40])
                fences_seen += len(codes)
    assert fences_seen  # the course has code fences (lesson 9's layers): the test compared something


def test_the_lexers_of_the_first_fenced_languages_are_made_while_the_lessons_load(monkeypatch):
    """Pygments compiles a lexer's patterns when the first one is made; the loading thread makes them for
    the languages the lessons' fences name (the course: Python and text), at most four, an unknown one ignored."""
    import types

    import pygments.lexers
    from pygments.lexers import get_lexer_by_name

    from tutor.app.screens import lesson as screen

    made = []
    monkeypatch.setattr(pygments.lexers, "get_lexer_by_name", lambda name: made.append(name) or get_lexer_by_name(name))
    lessons, _ = load_lessons(bundled_lessons_dir())
    screen.warm_lexers(lessons)
    assert "python" in made and len(set(made)) == len(made) <= screen.WARM_LEXERS

    made.clear()
    fences = "".join(f"```{name} x\nprint(1)\n```\n" for name in ["nosuchlanguage", "c", "c", "rust", "go", "ruby"])
    screen.warm_lexers([types.SimpleNamespace(steps=[types.SimpleNamespace(ko=fences, en="~~~\nplain\n~~~")])])
    assert made == ["nosuchlanguage", "c", "rust", "go"]
