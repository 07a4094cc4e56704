"""One learner working through one lesson: answers, tries, hints and reveals, and what is saved.

No Textual here: the lesson screen, the preview screen and the quiz drive this class, and tests use
it directly. With ``store=None`` nothing is written (the instructor's preview).
"""

import time
from dataclasses import dataclass, field

import numpy as np

from tutor.grading import grade, hints, solution
from tutor.grading.grade import shown_answer
from tutor.lessons import Lesson, answer_target, text
from tutor.lessons.answers import AnswerError, parse_answer

from .i18n import t

REVEAL_AFTER_TRIES = 3


@dataclass
class BlankState:
    tries: int = 0
    solved: bool = False
    revealed: bool = False
    hints_shown: int = 0
    answer: str = ""  # the learner's last answer, as typed
    verdict: object = None  # the last tutor.grading.Verdict
    graded: tuple = ()  # (text, earlier answers) the verdict was given for, to say it again in another language
    verdict_lang: str = ""
    solved_first_try: bool = False
    started: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class Outcome:
    """How a lesson went, for the summary shown when the learner leaves it for the next one."""
    total: int
    solved: int
    first_try: int
    hints: int
    revealed: int


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
                                                  revealed=saved.revealed, hints_shown=saved.hints_used,
                                                  solved_first_try=saved.solved_first_try)

    # ---- where the learner is ---------------------------------------------------------------

    def first_unsolved(self) -> str | None:
        return next((pid for pid, state in self.blanks.items() if not state.solved), None)

    def step_of(self, pid: str | None) -> int:
        """The step that places blank ``pid`` (0 when none does)."""
        return next((i for i, step in enumerate(self.lesson.steps) if pid in step.blanks), 0)

    def resume_step(self) -> int:
        """Where the lesson opens: its first step on a first visit (nothing answered, no hint or
        solution seen), else the step of the first unsolved blank."""
        if not any(s.tries or s.solved or s.revealed or s.hints_shown for s in self.blanks.values()):
            return 0
        return self.step_of(self.first_unsolved())

    def step_done(self, index: int) -> bool:
        """Whether every blank of step ``index`` is solved (or it has none)."""
        return all(self.blanks[pid].solved for pid in self.lesson.steps[index].blanks)

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
        earlier = self.earlier_answers(pid)
        verdict = grade(self.instance, pid, text, lang, earlier)
        state.verdict, state.graded, state.verdict_lang = verdict, (text, earlier), lang
        if verdict.invalid:
            return verdict  # a typo in the notation is not a try
        state.answer = text
        state.tries += 1
        state.solved_first_try = state.solved_first_try or (bool(verdict.correct) and state.tries == 1)
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

    def verdict(self, pid: str, lang: str):
        """The last verdict of blank ``pid`` in ``lang`` (graded again, nothing recorded, when it was
        given in the other language); None before the first answer."""
        state = self.blanks[pid]
        if state.verdict is not None and state.verdict_lang != lang:
            state.verdict, state.verdict_lang = grade(self.instance, pid, state.graded[0], lang, state.graded[1]), lang
        return state.verdict

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
        """The worked solution, nothing recorded (for redrawing, and the preview's answer key): the
        grader's answer, and for a gradient the chain of local derivatives with their numbers."""
        answer = solution(self.instance, pid, lang)
        chain = self.derivation(pid, lang)
        return f"{answer}\n{t('lesson.derivation', lang)}{chain}" if chain else answer

    def shown_answer(self, pid: str) -> str:
        """The expected answer as the tutor writes it (and a learner may type it)."""
        return shown_answer(self.instance, pid)

    def derivation(self, pid: str, lang: str) -> str | None:
        from tutor.render.derivation import chain_derivation

        problem = self.lesson.problem(pid)
        target = answer_target(problem)
        if problem.type != "number" or target is None or target[0] != "backward":
            return None
        labels = {node: text(label, lang) for node, label in self.lesson.graphs[problem.graph].labels.items()}
        return chain_derivation(self.instance.graph(problem.graph), target[1], labels,
                                result=shown_answer(self.instance, pid))

    def summary(self) -> "Outcome":
        states = self.blanks.values()
        return Outcome(total=len(self.blanks), solved=self.solved_count,
                       first_try=sum(s.solved_first_try for s in states),
                       hints=sum(s.hints_shown for s in states), revealed=sum(s.revealed for s in states))

    def open_position(self) -> None:
        if self.store is not None:
            self.store.set_position(self.pack, self.lesson.id, self.first_unsolved())

    # ---- the graph's markers ------------------------------------------------------------------

    def asks_gradient(self, graph_name: str, blanks: list[str]) -> bool:
        """Whether one of ``blanks`` (a step's) asks for a gradient on this graph."""
        return any((target := answer_target(p)) is not None and target[0] in ("backward", "flow")
                   and p.graph == graph_name for p in map(self.lesson.problem, blanks))

    def hidden_markers(self, graph_name: str, letters: dict[str, str]) -> dict[tuple[str, ...], str]:
        """Values the drawing must not give away: each unsolved number blank's target, marked by its
        letter in this step (``letters``), or ``?`` when it belongs to another step. Where two blanks
        ask for the same value, the marker names the first of this step's. A formula blank marks its
        value too (lesson 5 asks ∂z/∂x of z = x + y as a formula, and the drawing wrote 1 under x),
        unless a number blank that asked for it is done: then the learner knows the number (lesson 4).
        A blank asking the gradient along one branch marks that branch, ``("flow", m, n)``; done, it maps to
        "": the branch shows its number even while the node's total is hidden."""
        hidden: dict[tuple[str, ...], str] = {}
        known = {answer_target(p) for p in self.lesson.problems if p.type != "expression"
                 and (self.blanks[p.id].solved or self.blanks[p.id].revealed)}
        for problem in self.lesson.problems:
            target, state = answer_target(problem), self.blanks[problem.id]
            if target is None or problem.graph != graph_name:
                continue
            if state.solved or state.revealed:
                if target[0] == "flow":
                    hidden.setdefault(target, "")
                continue
            if problem.type == "expression" and target in known:
                continue
            if hidden.get(target, "?") in ("?", ""):
                hidden[target] = letters.get(problem.id, "?")
        for problem in self.lesson.problems:
            state = self.blanks[problem.id]
            if problem.graph == graph_name and not (state.solved or state.revealed):
                for target in self.local_shown(problem):
                    if hidden.get(target, "?") in ("?", ""):
                        hidden[target] = letters.get(problem.id, "?")
        return self.same_values(graph_name, hidden) | hidden  # a blank's own letter wins over a "?"

    def local_shown(self, problem) -> list[tuple[str, ...]]:
        """Where a ``local(m, n)`` blank's answer is shown: the walk's ``upstream × local`` at m, ``("local", m,
        n)``; and when m's own gradient is 1 (m is the output), what flows back from m to n, which is the local
        derivative itself, drawn under n (or on its branch into m, when n has others)."""
        if problem.type == "choice" or problem.graph is None:
            return []
        try:
            tree = parse_answer(problem.answer)
        except AnswerError:
            return []
        if tree[0] != "graph" or tree[1] != "local":
            return []
        (m, n), graph = tree[2], self.instance.graph(problem.graph)
        if not np.all(graph.backward().grads.get(m) == 1):
            return [("local", m, n)]
        readers = {reader for reader, _ in graph.consumers(n)}
        return [("local", m, n), ("backward", n) if readers == {m} else ("flow", m, n)]

    def same_values(self, graph_name: str, hidden: dict) -> dict[tuple[str, str], str]:
        """The unnamed steps next to a hidden value that carry it as it is (ReLU of a positive w × X is
        pred_y; an add node passes b's gradient to w × x + b and to w × x unchanged): hidden too, as ``?``.
        Found by walking from the hidden node through its neighbours while they hold the same value."""
        graph = self.instance.graph(graph_name)
        drawn = {"forward": graph.values, "backward": graph.backward().grads}
        neighbours = {name: set(spec.args) for name, spec in graph.nodes.items()}
        for name, spec in graph.nodes.items():
            for arg in spec.args:
                neighbours[arg].add(name)
        same = {}
        for (direction, *nodes), marker in hidden.items():
            if direction == "local" and marker:  # t = x + y: ∂t/∂y is ∂t/∂x, printed beside it by the walk
                m, n = nodes
                asked = graph.local(m, n)
                for sibling in set(graph.nodes[m].args) - {n}:
                    if graph.nodes[sibling].kind != "const" and _same(graph.local(m, sibling), asked):
                        same.setdefault(("local", m, sibling), "?")
            if direction not in drawn or not marker:
                continue
            node = nodes[0]
            value, todo, seen = drawn[direction].get(node), [node], {node}
            if direction == "backward" and value is not None:  # x + y: y's gradient is x's, drawn beside it
                for reader, _ in graph.consumers(node):
                    if graph.nodes[reader].op == "add":
                        for sibling in set(graph.nodes[reader].args) - {node}:
                            if _same(drawn[direction].get(sibling), value):
                                same.setdefault((direction, sibling), "?")
            while value is not None and todo:
                for other in neighbours[todo.pop()] - seen:
                    seen.add(other)
                    spec = graph.nodes[other]
                    if not spec.named and spec.kind == "op" and _same(drawn[direction].get(other), value):
                        same.setdefault((direction, other), "?")
                        todo.append(other)
        return same


def _same(value, other) -> bool:
    """Whether a drawn value (None: not drawn) is ``other``, number for number."""
    return value is not None and np.shape(value) == np.shape(other) and bool(np.allclose(value, other))
