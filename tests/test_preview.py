"""`tutor preview`: one lesson in the app with nothing saved, the answer key on F5, reload on save
(the same step kept), errors shown over the lesson as file:line:col and cleared by a fix."""

from pathlib import Path

import pytest

from tutor.app.preview import PreviewApp, PreviewScreen
from tutor.app.screens.lesson import BlankField
from tutor.lessons.commands import new_lesson

SIZE = (100, 40)


@pytest.fixture
def opened(wait_for, screen_text):
    """``await opened(pilot)``: the preview of the new lesson, on screen."""
    async def shown(pilot) -> PreviewScreen:
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, PreviewScreen) and "A new" in screen_text(pilot.app))
        await pilot.pause()
        return pilot.app.screen
    return shown


def a_lesson(folder: Path) -> Path:
    return new_lesson("preview-me", folder)


@pytest.mark.anyio
async def test_reload_shows_a_change_then_the_errors_then_recovers(tmp_path, opened, screen_text):
    path = a_lesson(tmp_path)
    app = PreviewApp(path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        await pilot.press("pagedown")  # step 2 of 3 (the opening text is step 1): the reload must keep it
        await pilot.pause()
        assert screen.step_index == 1 and "A new lesson" in screen_text(app)

        path.write_text(path.read_text(encoding="utf-8").replace("A new lesson", "Shopping for apples"),
                        encoding="utf-8")
        assert await screen.reload()
        await pilot.pause()
        assert "Shopping for apples" in screen_text(app) and screen.step_index == 1

        good = path.read_text(encoding="utf-8")
        path.write_text(good.replace("answer: grad(apple_price)", "answer: grad(apple_prise)"), encoding="utf-8")
        assert not await screen.reload()
        await pilot.pause()
        line = next(i for i, text in enumerate(good.splitlines(), 1) if "grad(apple_price)" in text)
        shown = screen_text(app)
        assert screen.errors.display and f"{path}:{line}:" in shown and "apple_prise" in shown
        assert "Shopping for apples" in shown  # the last good lesson stays under the errors

        path.write_text(good, encoding="utf-8")
        assert await screen.reload()
        await pilot.pause()
        assert not screen.errors.display and f"{path}:" not in screen_text(app)
        assert screen.step_index == 1


@pytest.mark.anyio
async def test_the_watcher_reloads_when_the_file_is_saved(tmp_path, opened, wait_for, screen_text):
    path = a_lesson(tmp_path)
    app = PreviewApp(path, watch=True, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.pause(0.3)  # let the watcher start before the save
        path.write_text(path.read_text(encoding="utf-8").replace("A new lesson", "Saved from an editor"),
                        encoding="utf-8")
        await wait_for(pilot, lambda: "Saved from an editor" in screen_text(app))  # no reload() called here
        assert "Reloaded preview-me.md" in screen_text(app)


@pytest.mark.anyio
async def test_answer_key_toggles_and_nothing_is_saved(tmp_path, opened, screen_text):
    path = a_lesson(tmp_path)
    app = PreviewApp(path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        assert app.store is None and screen.session.store is None
        await pilot.press("pagedown")  # the first step with blanks
        await pilot.pause()
        payment = next(f for f in screen.query(BlankField) if f.problem.id == "payment")
        assert "Answer:" not in screen_text(app)
        await pilot.press("f5")
        await pilot.pause()
        assert "Answer:" in screen_text(app) and "220" in payment.query_one(".solution").content
        await pilot.press("pagedown")  # the key stays on in the next step
        await pilot.pause()
        assert screen.step_index == 2
        await pilot.pause()
        assert "Answer:" in screen_text(app)
        await pilot.press("f5")
        await pilot.pause()
        assert "Answer:" not in screen_text(app)


@pytest.mark.anyio
async def test_answer_key_off_keeps_a_revealed_solution(tmp_path, opened):
    path = a_lesson(tmp_path)
    app = PreviewApp(path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        await pilot.press("pagedown", "pagedown")  # the step with four blanks
        await pilot.pause()
        field = screen.query(BlankField).first()
        field.input.focus()
        for wrong in ("1", "2", "3"):
            field.input.value = wrong
            await pilot.press("enter")
            await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        revealed = screen.session.solution(field.problem.id, "en")
        assert screen.session.blanks[field.problem.id].revealed and field.query_one(".solution").display

        def shown() -> list[str]:
            return [f.problem.id for f in screen.query(BlankField) if f.query_one(".solution").display]

        await pilot.press("f5")
        await pilot.pause()
        assert shown() == screen.step.blanks
        await pilot.press("f5")
        await pilot.pause()
        solution = field.query_one(".solution")
        assert solution.display and str(solution.content) == revealed
        assert shown() == [field.problem.id]  # the other blanks' answers went with the key


@pytest.mark.anyio
async def test_an_answer_a_variant_breaks_is_shown_over_the_lesson(tmp_path, opened, screen_text):
    """The preview reads the lesson as `tutor check` does: with apple_count drawn from 1..5, an
    answer dividing by apple_count - 3 is infinite for a variant, though not for the file's values."""
    path = a_lesson(tmp_path)
    app = PreviewApp(path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        good = path.read_text(encoding="utf-8")
        path.write_text(good.replace("answer: value(payment)", "answer: value(payment) / (value(apple_count) - 3)", 1),
                        encoding="utf-8")
        assert not await screen.reload()
        await pilot.pause()
        shown = " ".join(screen_text(app).split())
        assert screen.errors.display and "infinity with the variant" in shown
