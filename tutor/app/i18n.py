"""Every piece of text the app itself shows, in Korean and English.

Lesson text comes from the lesson files; this is only the app's own words. A key missing in
English falls back to Korean, as lesson text does.
"""

STRINGS: dict[str, dict[str, str]] = {
    # keys, in the footer and on the help screen
    "key.quit": {"ko": "끝내기", "en": "Quit"},
    "key.help": {"ko": "도움말", "en": "Help"},
    "key.lang": {"ko": "English", "en": "한국어"},
    "key.ascii": {"ko": "ASCII 그림", "en": "ASCII drawing"},
    "key.back": {"ko": "뒤로", "en": "Back"},
    "key.open": {"ko": "열기", "en": "Open"},
    "key.progress": {"ko": "진도", "en": "Progress"},
    "key.submit": {"ko": "제출", "en": "Submit"},
    "key.next_blank": {"ko": "다음 빈칸", "en": "Next blank"},
    "key.next_step": {"ko": "다음 단계", "en": "Next step"},
    "key.prev_step": {"ko": "이전 단계", "en": "Prev step"},
    "key.steps": {"ko": "단계", "en": "Step"},
    "key.nodes": {"ko": "노드", "en": "Node"},
    "key.hint": {"ko": "힌트", "en": "Hint"},
    "key.reveal": {"ko": "풀이", "en": "Solution"},
    "key.walk": {"ko": "역전파", "en": "Backprop"},
    "key.walk_next": {"ko": "다음 노드", "en": "Next node"},
    "key.walk_prev": {"ko": "이전 노드", "en": "Prev node"},
    "key.walk_exit": {"ko": "따라가기 끝", "en": "End walk"},
    "key.train_gd": {"ko": "GD 한 걸음", "en": "GD step"},
    "key.train_sgd": {"ko": "SGD 한 걸음", "en": "SGD step"},
    "key.train_reset": {"ko": "처음부터", "en": "Restart"},
    "key.scroll": {"ko": "스크롤", "en": "Scroll"},
    "key.clear_answer": {"ko": "답 지우기", "en": "Clear the answer"},
    "key.go_on": {"ko": "다음 레슨", "en": "Next lesson"},
    "key.lesson_list": {"ko": "레슨 목록", "en": "Lesson list"},
    "key.go_on_quiz": {"ko": "다음", "en": "Next"},
    # home
    "home.title": {"ko": "오차역전법 연습 — 밑바닥부터 시작하는 딥러닝 1, 5장",
                   "en": "Backpropagation practice — Deep Learning from Scratch 1, chapter 5"},
    "home.loading": {"ko": "레슨을 읽는 중…", "en": "Reading the lessons…"},
    "home.overall": {"ko": "전체 진도: {solved}/{total} 빈칸 ({percent}%)",
                     "en": "Overall: {solved}/{total} blanks ({percent}%)"},
    "home.next": {"ko": "다음 할 레슨", "en": "next up"},
    "home.done": {"ko": "완료", "en": "done"},
    "home.requires": {"ko": "{numbers}번을 먼저 하길 권합니다", "en": "best after {numbers}"},
    "home.broken": {"ko": "열 수 없는 레슨", "en": "Lessons that cannot be opened"},
    "home.empty": {"ko": "레슨이 없습니다: {folder}", "en": "No lessons in {folder}"},
    # lesson
    "lesson.step": {"ko": "{n}/{total} 단계", "en": "step {n} of {total}"},
    "lesson.placeholder": {"ko": "답을 입력하고 Enter", "en": "type an answer, Enter"},
    "lesson.solved": {"ko": "풀었음", "en": "solved"},
    "lesson.revealed": {"ko": "풀이를 봤음", "en": "solution seen"},
    "lesson.tries": {"ko": "{n}번 시도", "en": "tries: {n}"},
    "lesson.last_hint": {"ko": "힌트는 여기까지입니다. ctrl+r을 누르면 풀이를 볼 수 있습니다.",
                         "en": "There are no more hints. ctrl+r shows the solution."},
    "lesson.last_hint_locked": {"ko": "힌트는 여기까지입니다. 풀이는 세 번 시도한 뒤에 ctrl+r로 열립니다.",
                                "en": "There are no more hints. The solution opens with ctrl+r after three tries."},
    "lesson.tries_reveal": {"ko": "{n}번 시도 · ctrl+r 풀이", "en": "tries: {n} · ctrl+r solution"},
    "lesson.derivation": {"ko": "풀이: ", "en": "Worked out: "},
    "lesson.nothing_to_type": {"ko": "이 단계에는 답을 쓸 빈칸이 없습니다.", "en": "No blank of this step takes an answer."},
    "lesson.hint": {"ko": "힌트 {n}/{total}: ", "en": "Hint {n}/{total}: "},
    "lesson.reveal_locked": {"ko": "풀이는 맞히거나 세 번 시도한 뒤에 볼 수 있습니다 ({n}/3).",
                             "en": "The solution opens after a correct answer or three tries ({n}/3)."},
    "lesson.no_blank": {"ko": "이 단계에는 빈칸이 없습니다.", "en": "This step has no blanks."},
    "lesson.first_step": {"ko": "첫 단계입니다.", "en": "This is the first step."},
    "lesson.last_step": {"ko": "마지막 단계입니다. Esc로 레슨 목록에 돌아가세요.",
                         "en": "This is the last step. Esc goes back to the lessons."},
    "lesson.all_done": {"ko": "이 레슨의 빈칸을 모두 풀었습니다!", "en": "Every blank of this lesson is solved!"},
    "lesson.step_done": {"ko": "이 단계의 빈칸을 모두 풀었습니다. Enter 또는 pgdn: 다음 단계",
                         "en": "Every blank of this step is solved. Enter or pgdn: next step"},
    "lesson.go_on": {"ko": "다 읽었으면 Enter 또는 pgdn: 다음 단계", "en": "When you have read it, Enter or pgdn: next step"},
    "lesson.lesson_done": {"ko": "이 레슨의 빈칸을 모두 풀었습니다! Enter 또는 pgdn: 다음 레슨",
                           "en": "Every blank of this lesson is solved! Enter or pgdn: next lesson"},
    "lesson.last_step_next": {"ko": "Enter 또는 pgdn: 다음 레슨", "en": "Enter or pgdn: next lesson"},
    "lesson.blanks_left": {"ko": "아직 풀지 않은 빈칸이 {n}개 있습니다({steps}단계). pgup으로 돌아가거나, pgdn을 한 번 더 누르면 다음 레슨으로 갑니다.",
                           "en": "{n} blank(s) still open (step {steps}). pgup goes back; pgdn once more goes on to the next lesson."},
    # between lessons (screens/done.py)
    "done.title": {"ko": "레슨 완료: {title}", "en": "Lesson complete: {title}"},
    "done.left_title": {"ko": "레슨을 떠납니다: {title}", "en": "Leaving the lesson: {title}"},
    "done.figures": {"ko": "빈칸 {total}개 중 {solved}개를 풀었고, {first}개는 한 번에 맞혔습니다. 힌트 {hints}번, 풀이를 본 빈칸 {revealed}개.",
                     "en": "Solved {solved} of {total} blanks, {first} on the first try. Hints used: {hints}; solutions seen: {revealed}."},
    "done.course": {"ko": "코스를 모두 마쳤습니다! 레슨 {count}개의 빈칸을 모두 풀었습니다. 이제 tutor quiz로 복습해 보세요.",
                    "en": "You have finished the course: every blank of all {count} lessons is solved. Review with tutor quiz."},
    "done.course_left": {"ko": "코스의 마지막 레슨입니다. 아직 빈칸이 남은 레슨: {numbers}",
                         "en": "This was the course's last lesson. Lessons with blanks left: {numbers}"},
    "done.next": {"ko": "Enter: {title} 열기 · Esc: 레슨 목록", "en": "Enter: open {title} · Esc: lesson list"},
    "done.to_list": {"ko": "Enter 또는 Esc: 레슨 목록", "en": "Enter or Esc: lesson list"},
    # feedback
    "feedback.correct": {"ko": "정답입니다.", "en": "Correct."},
    "feedback.incorrect": {"ko": "아직 아닙니다.", "en": "Not yet."},
    "feedback.invalid": {"ko": "읽을 수 없는 답입니다.", "en": "That answer cannot be read."},
    # walk-through
    "walk.title": {"ko": "역전파 따라가기 {n}/{total}", "en": "Walking backward {n}/{total}"},
    "walk.start": {"ko": "출력 {node}에서 시작: ∂{node}/∂{node} = 1", "en": "Start at the output {node}: ∂{node}/∂{node} = 1"},
    "walk.start-labelled": {"ko": "{node}에서 시작: 자기 자신에 대한 기울기는 1",
                            "en": "Start at {node}: its gradient with respect to itself is 1"},
    "walk.leaf": {"ko": "{node}에 모인 기울기: {grad}", "en": "Gradient collected at {node}: {grad}"},
    "walk.sum": {"ko": "{node}에서 갈라진 가지마다 흘러온 기울기를 모두 더합니다:",
                 "en": "{node} branches: the gradients flowing back along its branches add up:"},
    "walk.edge": {"ko": "→ {arg}: 상류 × 국소 = 하류", "en": "→ {arg}: upstream × local = downstream"},
    "walk.edge_summed": {"ko": "→ {arg}: 쓰인 자리마다 상류 × 국소를 구해 더함 = 하류",
                         "en": "→ {arg}: upstream × local at each place {arg} is used, added up = downstream"},
    "walk.edge_matrix": {"ko": "→ {arg}: 행렬곱의 역전파 = 하류", "en": "→ {arg}: a matrix product's backward rule = downstream"},
    "walk.edge_rule": {"ko": "→ {arg}: {op} 노드의 역전파 규칙으로 = 하류", "en": "→ {arg}: by the {op} node's backward rule = downstream"},
    "walk.no_graph": {"ko": "이 단계에는 그래프가 없습니다.", "en": "This step has no graph."},
    # training
    # the losses are measured on the whole dataset after each update, SGD's too, so the two compare
    "train.title": {"ko": "GD와 SGD: 데이터 전체의 손실 (학습률 {lr})", "en": "GD and SGD: the loss on all the data (learning rate {lr})"},
    "train.updates": {"ko": "갱신", "en": "updates"},
    "train.loss": {"ko": "손실", "en": "loss"},
    "train.sample": {"ko": "데이터", "en": "sample"},
    "train.limit": {"ko": "한 방법에 {n}번까지만 갱신합니다. r을 누르면 처음부터 다시 합니다.",
                    "en": "Each method stops after {n} updates; r starts both again."},
    "chart.updates": {"ko": "가중치 갱신 횟수", "en": "weight updates"},
    "chart.now": {"ko": "지금", "en": "now"},
    "chart.too_small": {"ko": "화면이 작아 그래프는 넣지 않았습니다. 창을 키우면 나타납니다.",
                        "en": "The window is too small for the chart; it appears when the window is larger."},
    "train.keys": {"ko": "g: GD 한 걸음 {sep} s: SGD 한 걸음 {sep} r: 처음부터 (여기에 초점이 있을 때)",
                   "en": "g: GD step {sep} s: SGD step {sep} r: restart (when this panel has focus)"},
    # progress
    "progress.title": {"ko": "진도", "en": "Progress"},
    "progress.lesson": {"ko": "레슨", "en": "Lesson"},
    "progress.solved": {"ko": "푼 빈칸", "en": "Solved"},
    "progress.attempts": {"ko": "시도", "en": "Attempts"},
    "progress.first_try": {"ko": "한 번에 맞힘", "en": "First try"},
    "progress.last": {"ko": "마지막 학습", "en": "Last activity"},
    "progress.total": {"ko": "합계", "en": "Total"},
    # help
    "help.title": {"ko": "도움말 — 키", "en": "Help — keys"},
    "help.everywhere": {"ko": "어디서나", "en": "Everywhere"},
    "help.home": {"ko": "레슨 목록", "en": "Lesson list"},
    "help.lesson": {"ko": "레슨", "en": "Lesson"},
    "help.walk": {"ko": "역전파 따라가기 중", "en": "While walking backward"},
    "help.train": {"ko": "학습 그래프에 초점이 있을 때", "en": "When the training plot has focus"},
    "help.answer_box": {"ko": "답 칸", "en": "Answer box"},
    "help.answers": {"ko": "답 쓰는 법: 2.2, 110, 1.1e2, -3, 14/3, 벡터는 3, 6, 9. 틀린 답은 선택된 채로 남으니 "
                           "그대로 새 답을 치면 바뀝니다(고치려면 ←/→).",
                     "en": "Answers: 2.2, 110, 1.1e2, -3, 14/3; vectors as 3, 6, 9. A wrong answer stays selected: "
                           "type the new one over it (←/→ to edit it instead)."},
    # terminal too small
    "small.message": {"ko": "터미널이 너무 작습니다 ({width}×{height}). 80×24 이상으로 키워 주세요.",
                      "en": "The terminal is too small ({width}×{height}). Please enlarge it to at least 80×24."},
    # preview (tutor preview)
    "key.answer_key": {"ko": "정답 보기/숨기기", "en": "Answer key"},
    "key.close": {"ko": "닫기", "en": "Close"},
    "preview.title": {"ko": "미리보기 (저장 안 함)", "en": "preview (nothing saved)"},
    "preview.errors": {"ko": "레슨 파일에 오류가 있습니다. 고쳐서 저장하면 이 창은 사라집니다.",
                       "en": "The lesson file has errors. Fix and save it, and this goes away."},
    "preview.reloaded": {"ko": "다시 읽었습니다: {path}", "en": "Reloaded {path}"},
}


def t(key: str, lang: str, ascii: bool = False, **values) -> str:
    """The app's text for ``key`` in ``lang``, with ``{name}`` fields filled in; in ASCII mode its symbols
    (·, →, ×, ∂, …) are written with their ASCII twins (tutor.render.glyphs)."""
    entry = STRINGS[key]
    template = entry.get(lang, entry["ko"])
    if ascii:
        from tutor.render.glyphs import ascii_text

        template = ascii_text(template)
    return template.format(**values)
