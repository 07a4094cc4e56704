"""One learner working through one lesson: answers, tries, hints and reveals, and what is saved.

No Textual here: the lesson screen, the preview screen and the quiz drive this class, and tests use
it directly. With ``store=None`` nothing is written (the instructor's preview).
"""

import time
from dataclasses import dataclass, field

from tutor.grading import grade, hints, solution
from tutor.lessons import Lesson, answer_target

REVEAL_AFTER_TRIES = 3


@dataclass
class BlankState:
    tries: int = 0
    solved: bool = False
    revealed: bool = False
    hints_shown: int = 0
    answer: str = ""  # the learner's last answer, as typed
    verdict: object = None  # the last tutor.grading.Verdict
    started: float = field(default_factory=time.monotonic)


class LessonSession:
    def __init__(self, lesson: Lesson, store=None, pack: str = "", seed: int | None = None):
        self.lesson = lesson
        self.store = store
        self.pack = pack
        self.instance = lesson.instance(seed=seed)
        self.blanks: dict[str, BlankState] = {p.id: BlankState() for p in lesson.problems}
        if store is not None:
            store.note_lesson(pack, lesson.id, lesson.content_hash, len(lesson.problems))
            for pid, saved in store.problem_states(pack, lesson.id).items():
                if pid in self.blanks:
                    self.blanks[pid] = BlankState(tries=saved.attempts, solved=saved.solved,
                                                  revealed=saved.revealed, hints_shown=saved.hints_used)

    # ---- where the learner is ---------------------------------------------------------------

    def first_unsolved(self) -> str | None:
        return next((pid for pid, state in self.blanks.items() if not state.solved), None)

    def step_of(self, pid: str | None) -> int:
        """The step that places blank ``pid`` (0 when none does)."""
        return next((i for i, step in enumerate(self.lesson.steps) if pid in step.blanks), 0)

    def resume_step(self) -> int:
        return self.step_of(self.first_unsolved())

    @property
    def solved_count(self) -> int:
        return sum(state.solved for state in self.blanks.values())

    # ---- acting -------------------------------------------------------------------------------

    def earlier_answers(self, pid: str) -> dict[str, str]:
        """The learner's answers to the blanks before ``pid`` (for carried-forward grading)."""
        earlier = {}
        for other, state in self.blanks.items():
            if other == pid:
                break
            if state.answer:
                earlier[other] = state.answer
        return earlier

    def submit(self, pid: str, text: str, lang: str):
        state = self.blanks[pid]
        verdict = grade(self.instance, pid, text, lang, self.earlier_answers(pid))
        state.verdict = verdict
        if verdict.invalid:
            return verdict  # a typo in the notation is not a try
        state.answer = text
        state.tries += 1
        state.solved = state.solved or bool(verdict.correct)
        if self.store is not None:
            from tutor.progress import Attempt

            self.store.record_attempt(Attempt(
                self.pack, self.lesson.id, pid, self.instance.seed, text, bool(verdict.correct),
                verdict.mistake, state.hints_shown, time.monotonic() - state.started))
            if self.first_unsolved() is None:
                self.store.complete_lesson(self.pack, self.lesson.id)
        state.started = time.monotonic()
        return verdict

    def next_hint(self, pid: str, lang: str) -> tuple[int, list[str]]:
        """Show one more hint (recorded); returns how many are shown now and all hints' texts."""
        texts = hints(self.instance, pid, lang)
        state = self.blanks[pid]
        if state.hints_shown < len(texts):
            state.hints_shown += 1
            if self.store is not None:
                self.store.record_hint(self.pack, self.lesson.id, pid, state.hints_shown)
        return state.hints_shown, texts

    def shown_hints(self, pid: str, lang: str) -> tuple[int, list[str]]:
        """How many hints are shown, and all hints' texts (nothing recorded)."""
        texts = hints(self.instance, pid, lang)
        return min(self.blanks[pid].hints_shown, len(texts)), texts

    def can_reveal(self, pid: str) -> bool:
        state = self.blanks[pid]
        return state.solved or state.revealed or state.tries >= REVEAL_AFTER_TRIES

    def reveal(self, pid: str, lang: str) -> str:
        """The worked solution; recorded as revealed unless the blank was solved first."""
        state = self.blanks[pid]
        if not state.solved and not state.revealed and self.store is not None:
            self.store.mark_revealed(self.pack, self.lesson.id, pid)
        state.revealed = True
        return self.solution(pid, lang)

    def solution(self, pid: str, lang: str) -> str:
        """The worked solution, nothing recorded (for redrawing, and the preview's answer key)."""
        return solution(self.instance, pid, lang)

    def open_position(self) -> None:
        if self.store is not None:
            self.store.set_position(self.pack, self.lesson.id, self.first_unsolved())

    # ---- the graph's markers ------------------------------------------------------------------

    def asks_gradient(self, graph_name: str, blanks: list[str]) -> bool:
        """Whether one of ``blanks`` (a step's) asks for a gradient on this graph."""
        return any((target := answer_target(p)) is not None and target[0] == "backward" and p.graph == graph_name
                   for p in map(self.lesson.problem, blanks))

    def hidden_markers(self, graph_name: str, letters: dict[str, str]) -> dict[tuple[str, str], str]:
        """Values the drawing must not give away: each unsolved blank's target, marked by its
        letter in this step (``letters``), or ``?`` when it belongs to another step."""
        hidden = {}
        for problem in self.lesson.problems:
            target = answer_target(problem)
            if target is None or problem.graph != graph_name or self.blanks[problem.id].solved:
                continue
            if self.blanks[problem.id].revealed:
                continue
            hidden[target] = letters.get(problem.id, "?")
        return hidden
