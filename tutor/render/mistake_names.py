"""Kinds of mistakes as a person reads them (a quiz's summary, an instructor's report): the engine's
kinds have short names here; a lesson's own mistake is called by the first sentence of its message.
Never by its id."""

import re

from tutor.lessons import text
from tutor.lessons.model import PICKED

from .mathtext import markdown_math, safe_text

KIND_NAMES: dict[str, tuple[str, str]] = {
    "own-input": ("곱셈 노드에서 다른 입력 대신 자기 입력을 곱함", "its own input instead of the other at a multiplication node"),
    "split-at-add": ("덧셈 노드에서 기울기를 나눠 보냄", "split the gradient at an addition node"),
    "local-only": ("상류 기울기를 곱하지 않음", "local derivative without the upstream gradient"),
    "upstream-only": ("국소적 미분을 곱하지 않음", "upstream gradient without the local derivative"),
    "forward-value": ("기울기 대신 순전파 값을 씀", "forward value instead of the gradient"),
    "gradient-for-value": ("순전파 값 대신 기울기를 씀", "gradient instead of the forward value"),
    "sign-flip": ("부호를 반대로 씀", "flipped sign"),
    "missing-1/n": ("평균의 1/N을 빠뜨림", "missing 1/N of the mean"),
    "missing-2": ("제곱 미분의 2를 빠뜨림", "missing factor 2 of the square"),
    "sse-convention": ("책의 손실 0.5·Σ로 계산함", "used the book's 0.5·Σ loss"),
    "loss-missing-1/n": ("손실에서 1/N을 빠뜨림(제곱 오차의 합)", "loss without its 1/N (the sum of squares)"),
    "loss-sse-convention": ("책의 손실 0.5·Σ로 손실을 계산함", "computed the loss as the book's 0.5·Σ"),
    "relu-at-zero": ("ReLU의 입력 0에서 기울기를 통과시킴", "passed the gradient through ReLU at input 0"),
    "one-path": ("여러 경로 중 한 경로의 기울기만 구함", "gradient along one path only"),
    "with-upstream": ("국소적 미분에 상류 기울기까지 곱함", "multiplied the local derivative by the upstream gradient"),
    None: ("그 밖의 오답", "other wrong answers"),
}
LONGEST = 70  # cells of a lesson mistake's name before it is cut with "…"


def mistake_name(kind: str | None, lang: str, problem=None) -> str:
    """`kind` as `lang` reads it. `problem`: the blank it was made at, whose author's mistakes and wrong
    options name their own kinds; an unknown kind, or none, is "other wrong answers"."""
    own = own_name(kind, problem, lang) if problem is not None else None
    if own is not None:
        first = re.split(r"(?<=[.!?。])\s", safe_text(markdown_math(own)).strip(), maxsplit=1)[0].rstrip(".。")
        return first if len(first) <= LONGEST else first[:LONGEST - 1] + "…"  # a name in a list: no full stop
    korean, english = KIND_NAMES.get(kind, KIND_NAMES[None])
    return english if lang == "en" else korean


def own_name(kind: str | None, problem, lang: str) -> str | None:
    """What ``problem`` itself calls ``kind``: its author's mistake of that id (by its message), or a
    wrong option as picked (the grader records a pick so when no mistake of the author names the option)."""
    message = next((mistake.message for mistake in problem.mistakes if mistake.id == kind), None)
    if message is not None:
        return text(message, lang)
    option = next((o for o in problem.options if PICKED + o.id == kind and o.id != problem.answer), None)
    if option is None:
        return None
    return f"{'picked' if lang == 'en' else '고른 보기'}: {text(option.text, lang)}"
