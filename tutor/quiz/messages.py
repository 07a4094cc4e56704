"""Everything quiz mode says itself, in Korean and English (lesson text comes from the lessons)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "intro": ("복습 퀴즈 {count}문제입니다. 숫자를 바꿀 수 있는 문제는 풀 때마다 새 숫자로 나옵니다. 답을 쓰고 Enter를 누르세요. "
              "명령: :hint 힌트 보기, :skip 건너뛰고 답 보기, :quit 끝내기, :help 도움말",
              "Review quiz ({count} in all). Where a lesson allows it, the numbers are new every time. Type an answer and press Enter. "
              "Commands: :hint a hint, :skip skip and see the answer, :quit stop, :help this help"),
    "help": ("답은 한 줄에 하나씩 씁니다. 수: 2.2, 14/3, 1.1e2 / 여러 수: 3, 6, 9 / 식: 2(x+y) / "
             "보기 문제: 보기 번호\n"
             ":hint 힌트를 하나 더 봅니다. :skip 답을 보고 다음 문제로 갑니다. :quit 퀴즈를 끝내고 결과를 봅니다.",
             "Type one answer per line. A number: 2.2, 14/3, 1.1e2 / several: 3, 6, 9 / a formula: 2(x+y) / "
             "a choice: the option's number.\n"
             ":hint shows one more hint. :skip shows the answer and moves on. :quit ends the quiz with the results."),
    "all-lessons": ("아직 시작한 레슨이 없어서 모든 레슨에서 문제를 냅니다.",
                    "No lesson started yet, so the questions come from every lesson."),
    "nothing": ("낼 문제가 없습니다.", "There are no questions to ask."),
    "unknown-lesson": ("그런 레슨은 없습니다: '{id}'. 있는 레슨: {ids}", "There is no lesson '{id}'. Lessons: {ids}"),
    "broken-lesson": ("읽을 수 없는 레슨이 있어 건너뜁니다: {error}", "A lesson that could not be read (skipped): {error}"),
    "question": ("[{number}/{total}] {title}", "[{number}/{total}] {title}"),
    "ask-number": ("답(수):", "Answer (a number):"),
    "ask-vector": ("답(수 {size}개, 쉼표로 구분):", "Answer ({size} numbers, separated by commas):"),
    "ask-expression": ("답(식, 쓸 수 있는 변수: {vars}):", "Answer (a formula in {vars}):"),
    "ask-choice": ("답(보기 번호):", "Answer (the option's number):"),
    "hint": ("힌트 {number}/{total}: {text}", "Hint {number}/{total}: {text}"),
    "no-hints": ("힌트는 여기까지입니다. :skip을 입력하면 답을 볼 수 있습니다.",
                 "There are no more hints for this one; :skip shows the answer."),
    "no-hints-screen": ("힌트는 여기까지입니다. ctrl+r을 누르면 답을 볼 수 있습니다.",  # the quiz screen's key for :skip
                        "There are no more hints for this one; ctrl+r shows the answer."),
    "wrong": ("아쉽지만 틀렸습니다. 풀이를 확인하고 다음 문제로 넘어갑니다.",
              "Not this time. Here is the worked answer, then on to the next question."),
    "skipped": ("건너뛰었습니다.", "Skipped."),
    "unknown-command": ("없는 명령입니다: {command}. :help를 입력하면 명령을 볼 수 있습니다.",
                        "'{command}' is not a command; :help lists them."),
    "summary": ("결과", "Results"),
    "again-plain": ("다시 풀려면 tutor quiz --plain을 한 번 더 실행하세요. 틀린 문제가 먼저 나옵니다.",
                    "To go again, run tutor quiz --plain once more; missed questions come first."),
    "again-screen": ("Enter: 새 퀴즈 (틀린 문제 먼저) · Esc 또는 ctrl+q: 끝내기",
                     "Enter: a new quiz (missed questions first) · Esc or ctrl+q: quit"),
    "again-none": ("지금은 더 낼 문제가 없습니다. Esc 또는 ctrl+q로 끝냅니다.",
                   "There are no more questions to ask now. Esc or ctrl+q quits."),
    "next-question": ("Enter: 다음 문제", "Enter: next question"),
    "to-summary": ("Enter: 결과 보기", "Enter: see the results"),
    "score": ("점수: {right}/{asked}", "Score: {right}/{asked}"),
    "not-asked": ("(풀지 못한 문제 {count}개)", "(not reached: {count})"),
    "mistakes": ("실수 유형:", "Mistakes by kind:"),
    "revisit": ("다시 볼 레슨:", "Lessons to revisit:"),
    "next-due-now": ("지금 복습할 문제가 더 있습니다.", "More questions are due for review now."),
    "next-due": ("다음 복습: {when}", "Next review: {when}"),
    "next-due-none": ("아직 복습 일정이 잡힌 문제가 없습니다.", "No review is scheduled yet."),
    "no-tty": ("퀴즈 화면을 띄우려면 터미널이 필요합니다({reason}). 터미널이 없을 때는 tutor quiz --plain으로 "
               "한 줄씩 풀 수 있습니다.",
               "The quiz screen needs a terminal ({reason}). Try line mode: tutor quiz --plain"),
    # mistakes the grader names (tutor.grading ids); a lesson's own are named by their message
    "kind-revealed": ("건너뛰고 답을 봄", "skipped, answer shown"),
}


def say(key: str, lang: str, **values) -> str:
    korean, english = MESSAGES[key]
    return (english if lang == "en" else korean).format(**values)

