"""Grading one answer of a lesson instance: read it, compare it by problem type, and when it is wrong,
say which mistake it looks like; when an earlier wrong blank explains it, accept it and say so."""

import re
import unicodedata
import zlib
from typing import Mapping

import msgspec
import numpy as np
from msgspec.structs import replace

from tutor.engine import GraphError
from tutor.lessons.model import PICKED, text as localized

from .compare import Band, band_of, describe, exactly, percent
from .formula import NoFormula, answer_formula, written
from .hints import forward_steps, gradient_steps, label
from .messages import say
from .carry import carried_answer
from .mistakes import diagnose, explain, gradient_target, suspects, value_suspects
from .parse import (MAX_DIGITS, MAX_LENGTH, AnswerError, evaluate_formula, normalise, parse_formula, parse_vector,
                    read_number)

FORMULA_BAND = Band(1e-6, 1e-9)  # a formula is the same function or not: no rounding to forgive
FORMULA_POINTS = 4  # random points besides the instance's own values


class Verdict(msgspec.Struct, frozen=True):  # structs, not dataclasses: cheaper to import (tutor/lessons/model.py)
    correct: bool
    expected: object  # float, list of floats, or the option id: ready for JSON
    mistake: str | None = None  # a mistake id (the engine's rules or the lesson's own)
    message: str = ""
    band: str | None = None  # set when it passed only thanks to the tolerance
    carried: bool = False  # right given the learner's own earlier answer (wrong, or a rounding)
    invalid: bool = False  # the text could not be read: not an attempt


def grade(inst, problem_id: str, text: str, lang: str = "ko",
          earlier: Mapping[str, object] | None = None) -> Verdict:
    """Grade ``text`` for one problem. ``earlier``: the learner's answers (text or number) to other
    problems of the lesson, by id, for errors carried forward. Raises KeyError for an unknown problem."""
    problem = inst.lesson.problem(problem_id)
    if isinstance(text, str) and len(text) > MAX_LENGTH:  # every type, before any digit is converted
        expected = problem.answer if problem.type == "choice" else _plain(inst.answer(problem_id))
        return Verdict(False, expected, message=say("too-long", lang, length=len(text), limit=MAX_LENGTH),
                       invalid=True)
    if problem.type == "choice":
        return _grade_choice(problem, text, lang)
    expected = inst.answer(problem_id)
    try:
        if problem.type == "expression":
            return _grade_formula(inst, problem, text, expected, lang)
        note = None
        if problem.type == "vector" or np.size(expected) > 1:  # commas separate numbers
            given = np.array([float(v) for v in parse_vector(text, np.size(expected))])
            shown = text.strip()
        else:  # one number: commas group thousands, a unit word may follow
            number, note = read_number(text)
            given, shown = float(number), note[1]["value"] if note else text.strip()
    except AnswerError as e:
        return Verdict(False, _plain(expected), message=e.message(lang), invalid=True)
    verdict = _grade_number(inst, problem, given, shown, expected, lang, earlier or {})
    if note and note[0] == "read-thousands" and not verdict.correct:
        decimal = _decimal_comma(text)
        if decimal is not None and _grade_number(inst, problem, float(decimal), decimal, expected, lang, {}).correct:
            # 1,872 for 1.872: not a wrong answer, a comma read the other way; told, and not counted
            return Verdict(False, _plain(expected), invalid=True,
                           message=say("comma-both-ways", lang, thousands=note[1]["value"], decimal=decimal))
    if note:  # how the text was read, after the verdict: 60,000 → 60000, 200원 → 200
        return replace(verdict, message=f"{verdict.message} {say(note[0], lang, **note[1])}")
    return verdict


def _decimal_comma(text: str) -> str | None:
    """``1.872`` for ``1,872``: one comma that may group thousands or mark decimals; else None."""
    match = re.fullmatch(r"\s*(-?[0-9]{1,3}),([0-9]{3})\s*", normalise(text))
    return f"{match[1]}.{match[2]}" if match else None


def _grade_number(inst, problem, given, shown: str, expected, lang: str, earlier: Mapping) -> Verdict:
    plain = _plain(expected)
    if exactly(given, expected):
        return Verdict(True, plain, message=say("correct", lang))
    # Matching a number to the answer's band, and to an earlier answer or a wrong rule, is done with the
    # author's (or the default) band; only a number inside it that is not exact asks whether this answer is
    # graded exactly (a whole number in every variant), which samples the variants once per problem.
    band = Band.of(problem.tolerance)
    if band.accepts(given, expected, problem.allow_zero):
        graded = band_of(inst.lesson, problem, expected)
        if graded.accepts(given, expected, problem.allow_zero):
            note = _band_note(graded, given, shown, expected, lang)
            return Verdict(True, plain, message=" ".join(filter(None, [say("correct", lang), note])), band=note)

    verdict = _carried_forward(inst, problem, given, expected, band, lang, earlier)
    if verdict:
        return verdict
    typed = _as_typed(band, shown, given)
    graph = inst.graph(problem.graph)
    target = gradient_target(problem.answer, graph)
    # The author's own mistakes first: written for this very blank, they say more than a general rule
    # (and say what the lesson teaches). One that gives the right answer in this variant tells nothing.
    for mistake in problem.mistakes:
        wrong = inst.evaluate(mistake.answer, problem.graph)
        if not band.accepts(wrong, expected, allow_zero=True) and typed.accepts(given, wrong, allow_zero=True):
            return Verdict(False, plain, mistake.id, localized(mistake.message, lang))
    try:
        candidates = suspects(graph, target) if target is not None else value_suspects(problem.answer, graph)
        found = diagnose(given, expected, candidates, band, typed)
    except (GraphError, ValueError):  # shapes a wrong rule cannot combine: no diagnosis
        found = []
    if found:
        return Verdict(False, plain, found[0].id, explain(found, lang, _namer(inst, problem, lang)))
    if not problem.allow_zero and np.all(np.asarray(given) == 0):
        return Verdict(False, plain, message=say("zero-not-accepted", lang))
    if typed is not band and typed.accepts(given, expected, problem.allow_zero):  # 0.38 for 0.375: not counted
        return Verdict(False, plain, message=say("rounded-close", lang), invalid=True)
    return Verdict(False, plain, message=say("incorrect", lang))


ROUNDED_AT_MOST = 0.05  # a rounding band is never wider than this share of the number typed


def _as_typed(band: Band, typed: str, given) -> Band:
    """The band a wrong rule's value is matched in: wide enough for the decimals the learner rounded to
    (0.33 0.67 1 is the MSE gradient without its 2, [1/3, 2/3, 1]), but not so wide that it says little:
    0.3 for 0.375 would stand for anything from 0.25 to 0.35. Not for a number with an exponent."""
    if re.search(r"[eE]", typed):
        return band
    decimals = max((len(digits) for digits in re.findall(r"\.([0-9]+)", typed)), default=0)
    half_unit = 0.5 * 10.0 ** -decimals
    sizes = np.abs(np.asarray(given, dtype=float))
    smallest = sizes[sizes > 0].min() if np.any(sizes > 0) else 0.0
    if not decimals or half_unit > ROUNDED_AT_MOST * smallest:
        return band
    return Band(band.rel, max(band.abs, half_unit))


def _carried_forward(inst, problem, given, expected, band, lang, earlier) -> Verdict | None:
    """Right given the learner's own earlier answers (``carry.carried_answer``)? Then accepted, and told:
    a rounding carried forward is simply right; a wrong number carried forward is right arithmetic."""
    carried = carried_answer(inst, problem, earlier) if earlier else None
    if carried is None or band.accepts(carried.value, expected, allow_zero=True) \
            or not band.accepts(given, carried.value, allow_zero=True):
        return None
    key = "carried-rounded" if all(c.accepted for c in carried.cited) else "carried"
    shown = describe(expected, band_of(inst.lesson, problem, expected))
    message = say(key, lang, value=", ".join(c.text for c in carried.cited), expected=shown)
    return Verdict(True, _plain(expected), message=message, carried=True)


def _band_note(band: Band, given, shown: str, expected, lang: str) -> str:
    """Why an answer that is not exact is accepted: a rounding of the answer, or a number within the band
    that is not one (4.65 for 14/3); rounding is praised only where rounding is what happened."""
    rounded = _is_rounding(shown, given, expected)
    if np.ndim(expected) == 0:
        low, high = band.low_high(float(expected))
        width = percent(band.rel) if band.rel * abs(expected) >= band.abs else describe(band.abs)
        finer, precise = Band(band.rel / 10, band.abs / 10), Band(band.rel / 100, band.abs / 100)
        # the answer with more digits than a rounding of it may have (2.000296, not 2.0003 for 2.0003)
        return say("band-rounded" if rounded else "band-close", lang, given=shown, percent=width,
                   expected=describe(expected, precise), low=describe(low, finer), high=describe(high, finer))
    return say("band-vector-rounded" if rounded else "band-vector-close", lang, percent=percent(band.rel),
               expected=describe(expected, band))


_DECIMAL = re.compile(r"-?[0-9]*(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?")


def _is_rounding(text: str, given, expected) -> bool:
    """Whether each number typed is the answer rounded to the decimals it was typed with (2.0044 for
    2.004444, not 2.0045); a number worked out (``1.1*2``) is not a rounding."""
    parts = [p.strip() for p in re.split(r"[,;]", normalise(text).strip("[]()"))]
    if len(parts) != np.size(given):
        return False
    for part, value in zip(parts, np.ravel(np.asarray(expected, dtype=np.float64))):
        match = _DECIMAL.fullmatch(part)
        if not match or not any(c.isdigit() for c in part):
            return False
        decimals = len(match.group(1) or "") - int(match.group(2) or 0)
        if abs(float(part) - value) > 0.5 * 10.0 ** -decimals * (1 + 1e-9) + 1e-12 * abs(value):
            return False
    return True


def _grade_formula(inst, problem, text: str, expected, lang: str) -> Verdict:
    tree = _read_formula(inst, problem, text)
    band = FORMULA_BAND if problem.tolerance is None else Band.of(problem.tolerance)
    points = []  # (instance at the point, its graph's values, the learner's value, the right value)
    for here, values, want in formula_points(inst, problem):
        try:
            got = evaluate_formula(tree, values)
        except ValueError:
            raise AnswerError("shape") from None
        if not np.all(np.isfinite(got)):
            return Verdict(False, _plain(expected), message=say("not-evaluable", lang))
        points.append((here, values, got, want))
    if not points:
        raise AnswerError("not-evaluable")
    differing = [(values, got, want) for _, values, got, want in points if not band.accepts(got, want, allow_zero=True)]
    if not differing:
        return Verdict(True, _plain(expected), message=say("correct", lang))
    _, _, here, right_here = points[0]  # the graph's own values: the point the learner sees
    if band.accepts(here, right_here, allow_zero=True) and all(band.accepts(got, here, allow_zero=True)
                                                               for _, _, got, _ in points):
        # the same number everywhere, right at the graph's values: the value worked out, not the formula
        return Verdict(False, _plain(expected), invalid=True,
                       message=say("number-for-formula", lang, vars=", ".join(problem.vars)))
    values, got, want = differing[0]
    differs = say("formula-differs", lang, point=_at(problem, values), given=describe(got), expected=describe(want))
    mistake, message = _formula_mistake(problem, points, band, lang) or (None, say("incorrect", lang))
    return Verdict(False, _plain(expected), mistake, f"{message} {differs}")


def _read_formula(inst, problem, text: str):
    """The learner's formula, in the problem's variables only: another name of the graph (t for x + y) is
    refused with the names that may be used."""
    try:
        return parse_formula(text, problem.vars)
    except AnswerError as e:
        graph = inst.graph(problem.graph)
        if e.key == "unknown-name" and e.params["name"] in graph.nodes and graph.nodes[e.params["name"]].named:
            raise AnswerError("not-a-var", name=e.params["name"], vars=", ".join(problem.vars)) from None
        raise


def formula_points(inst, problem) -> list[tuple]:
    """Where a formula is compared: the instance's own values, then random points (inputs scaled by
    factors in [0.5, 1.5], signs kept; the same points for the same problem). Each as (instance, its
    graph's values, the engine's answer); a point where the lesson's own answer is undefined is skipped."""
    key = ("points", problem.id, inst.seed, tuple(sorted(inst.given)) if inst.given else ())
    memo = inst.lesson.memo if not inst.given else {}
    if key not in memo:
        found = []
        for point in [None, *_random_points(inst.graph(problem.graph), problem.id)]:
            try:
                here = inst if point is None else inst.lesson.instance(inst.seed, values=point)
                found.append((here, here.graph(problem.graph).values, here.answer(problem.id)))
            except (GraphError, ValueError, ArithmeticError):
                continue
        memo[key] = found
    return memo[key]


def _at(problem, values) -> str:
    """``x = 7.607, y = 6.942``: the point in the problem's variables, the only names the learner sees."""
    return ", ".join(f"{v} = {describe(values[v])}" for v in problem.vars)


def _formula_mistake(problem, points, band, lang: str) -> tuple[str, str] | None:
    """(id, message) of the author's mistake, else of a wrong rule, that the learner's formula equals at
    every point: a formula is that mistake only if it agrees with it everywhere, not at one lucky point."""
    def everywhere(values) -> bool:
        return all(band.accepts(got, value, allow_zero=True) for (_, _, got, _), value in zip(points, values))

    for mistake in problem.mistakes:
        try:
            if everywhere([here.evaluate(mistake.answer, problem.graph) for here, *_ in points]):
                return mistake.id, localized(mistake.message, lang)
        except (GraphError, ValueError, ArithmeticError):
            continue  # undefined at some point (or shapes that do not compare): not this mistake
    target = gradient_target(problem.answer, points[0][0].graph(problem.graph))
    if target is None:
        return None
    try:
        # The same rules in the same order at every point (the graph's shape does not change), so zip
        # pairs each rule with itself; a rule may occur twice (the forward value of n and of m).
        for found in zip(*(suspects(here.graph(problem.graph), target) for here, *_ in points)):
            if len({suspect.id for suspect in found}) == 1 and everywhere([suspect.value for suspect in found]):
                return found[0].id, explain([found[0]], lang, _namer(points[0][0], problem, lang))
    except (GraphError, ValueError):  # shapes a wrong rule cannot combine: no diagnosis
        return None
    return None


def _inputs(graph) -> dict:
    return {n: graph.values[n] for n, node in graph.nodes.items() if node.kind == "input"}


def _random_points(graph, problem_id: str) -> list[dict]:
    rng = np.random.default_rng(zlib.crc32(problem_id.encode()))
    points = []
    for _ in range(FORMULA_POINTS):
        point = {}
        for name, value in _inputs(graph).items():
            factor = rng.uniform(0.5, 1.5, np.shape(value))
            point[name] = np.where(value == 0, factor, value * factor).tolist()
        points.append(point)
    return points


def _grade_choice(problem, text: str, lang: str) -> Verdict:
    answer = (text or "").strip().casefold()
    ids = [option.id for option in problem.options]
    chosen = next((i for i in ids if i.casefold() == answer), None)
    number = _option_number(answer)
    if chosen is None and number is not None and 1 <= number <= len(ids):
        chosen = ids[number - 1]  # the option's number as listed
    if chosen is None:
        matching = _options_by_text(problem, text or "")
        if len(matching) > 1:
            return Verdict(False, problem.answer, invalid=True, message=say(
                "ambiguous-option", lang, text=_plain_text(text), numbers=", ".join(str(n) for n in matching)))
        if not matching:
            return Verdict(False, problem.answer, message=say("unknown-option", lang, last=len(ids)), invalid=True)
        chosen = ids[matching[0] - 1]
    if chosen == problem.answer:
        return Verdict(True, problem.answer, message=say("correct", lang))
    # the author's word on this very option (`mistakes: [{answer: OPTION-ID, ...}]`), as for a number
    authored = next((mistake for mistake in problem.mistakes if mistake.answer == chosen), None)
    if authored:
        return Verdict(False, problem.answer, authored.id, localized(authored.message, lang))
    return Verdict(False, problem.answer, PICKED + chosen, say("wrong-option", lang))  # the report names it


def _option_number(answer: str) -> int | None:
    """An option's number as people write it: 3, 3번, (3), 3), ③, ３ (any script's digits)."""
    match = re.fullmatch(r"\(?\s*(\d+)\s*\)?\s*(?:번)?\s*\.?", unicodedata.normalize("NFKC", answer))
    return int(match[1]) if match and len(match[1]) <= MAX_DIGITS else None


def _options_by_text(problem, text: str) -> list[int]:
    """The numbers of the options whose text (in either language) is what the learner typed, else those
    it begins (two characters at least, or one Hangul syllable, a word of its own): ``순전파`` for 순전파,
    ``backprop`` for "backpropagation", ``네`` for "네, 뽑힐 수 있습니다"."""
    typed = _plain_text(text)
    if not typed:
        return []
    texts = [(n, {_plain_text(localized(o.text, lang)) for lang in ("ko", "en")}) for n, o in enumerate(problem.options, 1)]
    exact = [n for n, written in texts if typed in written]
    if exact or (len(typed) < 2 and not "가" <= typed <= "힣"):
        return exact
    return [n for n, written in texts if any(w.startswith(typed) for w in written)]


def _plain_text(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split()).strip(" .。")


def _namer(inst, problem, lang: str):
    """A node of the problem's graph as the learner sees it (``hints.label``)."""
    graph, labels = inst.graph(problem.graph), _labels(inst, problem, lang)
    return lambda node: label(graph, node, labels)


def _labels(inst, problem, lang: str) -> dict[str, str]:
    """The lesson's names for the nodes of the problem's graph, in ``lang``."""
    spec = inst.lesson.graphs.get(problem.graph)
    return {node: localized(label, lang) for node, label in spec.labels.items()} if spec else {}


def _plain(value):
    return float(value) if np.ndim(value) == 0 and not isinstance(value, str) else np.asarray(value).tolist()


# ---- hints and the worked solution ----------------------------------------------------------

def _steps(inst, problem, lang: str) -> tuple[list[str], str | None]:
    if problem.type in ("choice", "expression"):
        return [], None
    graph = inst.graph(problem.graph)
    target = gradient_target(problem.answer, graph)
    if target is not None and not target.index:  # the steps compute the whole gradient, not one row of it
        return gradient_steps(graph, target, lang, _labels(inst, problem, lang))
    name = problem.answer.strip()
    if name.startswith("value(") and name.endswith(")") and name[6:-1].strip() in graph.nodes:
        return forward_steps(graph, name[6:-1].strip(), lang, _labels(inst, problem, lang))
    return [], None


def hints(inst, problem_id: str, lang: str = "ko") -> list[str]:
    """From the general to the specific: the lesson's own hints, the graph's rule at the node before the
    author's last one, and the product with the graph's numbers (``-4 × 1 = ?``) last of all: nothing an
    author writes in words is more specific than that."""
    problem = inst.lesson.problem(problem_id)
    own = [localized(hint, lang) for hint in problem.hints]
    generated, formula = _steps(inst, problem, lang)
    numbers = generated[-1:] if generated and generated[-1] == say("hint-compute", lang, formula=formula) else []
    rules = generated[:len(generated) - len(numbers)]
    if len(own) < 2:  # the author's only hint is also the most general one: it comes first
        return own + rules + numbers
    return own[:-1] + rules + own[-1:] + numbers


def solution(inst, problem_id: str, lang: str = "ko") -> str:
    """The worked answer, for "show the solution"."""
    problem = inst.lesson.problem(problem_id)
    expected = inst.answer(problem_id)
    if problem.type == "choice":
        number, option = next((n, o) for n, o in enumerate(problem.options, 1) if o.id == problem.answer)
        return say("solution-answer", lang, value=f"{number}) {localized(option.text, lang)}")
    if problem.type == "expression":
        values = inst.graph(problem.graph).values
        formula = shown_formula(inst, problem)
        if formula is None:  # an author's lesson the tutor cannot write out, without a display: (a lint)
            return say("solution-formula-value", lang, point=_at(problem, values), value=describe(expected))
        return say("solution-formula", lang, formula=formula, point=_at(problem, values), value=describe(expected))
    formula = _steps(inst, problem, lang)[1]
    value = describe(expected, band_of(inst.lesson, problem, expected))
    return say("solution-answer", lang, value=f"{formula} = {value}" if formula else value)


def worked(inst, problem_id: str, lang: str = "ko") -> str | None:
    """How a number is worked out, as the solution writes it before its value (∂L/∂x = 1.1 × 2), if known."""
    return _steps(inst, inst.lesson.problem(problem_id), lang)[1]


def shown_answer(inst, problem_id: str) -> str:
    """The expected answer as every place that shows it writes it, and as the learner may type it back:
    a number or vector with the digits its band needs, a choice's number."""
    problem = inst.lesson.problem(problem_id)
    if problem.type == "choice":
        return str(next(n for n, o in enumerate(problem.options, 1) if o.id == problem.answer))
    if problem.type == "expression":
        return shown_formula(inst, problem) or describe(inst.answer(problem_id))
    answer = inst.answer(problem_id)
    return band_of(inst.lesson, problem, answer).shown(answer)


def shown_formula(inst, problem) -> str | None:
    """A formula problem's answer as a formula in its variables: the author's ``display:``, else the one
    the tutor writes out (``formula.answer_formula``); only one that equals the engine's answer at every
    grading point. None when there is none (``tutor check --strict`` says so)."""
    key = ("formula", problem.id, inst.seed)
    memo = inst.lesson.memo if not inst.given else {}
    if key not in memo:
        memo[key] = next((text for text in _formula_candidates(inst, problem)
                          if _same_function(inst, problem, text)), None)
    return memo[key]


def _formula_candidates(inst, problem):
    if problem.display:
        yield problem.display
    try:
        yield written(answer_formula(inst.graph(problem.graph), problem.answer, problem.vars, inst.params))
    except (NoFormula, GraphError, ValueError, KeyError):
        return


def _same_function(inst, problem, text: str) -> bool:
    try:
        tree = parse_formula(text, problem.vars)
        points = formula_points(inst, problem)
        return bool(points) and all(FORMULA_BAND.accepts(evaluate_formula(tree, values), want, allow_zero=True)
                                    for _, values, want in points)
    except (AnswerError, ValueError):
        return False
