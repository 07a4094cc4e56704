"""What the commands say themselves (tutor/cli.py, `tutor progress`, `reset`, `paths`, the app's
launch), in Korean and English. The learner's language is ``tutor.environment.default_lang``:
TUTOR_LANG, else the locale. Lesson errors (`tutor check`, file:line:col) are the author's and stay
as the loader words them."""

MESSAGES: dict[str, tuple[str, str]] = {
    # no terminal for the app
    "no-tty-stdin": ("표준 입력이 터미널이 아닙니다", "stdin is not a terminal"),
    "no-tty-stdout": ("표준 출력이 터미널이 아닙니다", "stdout is not a terminal"),
    "no-tty-term": ("TERM이 {term}입니다", "TERM is {term}"),
    "no-tty-term-unset": ("TERM이 설정되어 있지 않습니다", "TERM is not set"),
    "start-no-tty": ("tutor start는 터미널에서 실행해야 합니다: {reason}. 터미널이 없으면 tutor quiz --plain을 써 보세요.",
                     "tutor start needs a terminal: {reason}. Try `tutor quiz --plain` instead."),
    "preview-no-tty": ("tutor preview는 터미널에서 실행해야 합니다: {reason}. 터미널 없이는 tutor check --strict {path}를 쓰세요.",
                       "tutor preview needs a terminal: {reason}. `tutor check --strict {path}` works without one."),
    "report-live-no-tty": ("tutor report --live는 터미널에서 실행해야 합니다: {reason}. --live 없이 실행하면 보고서를 한 번 "
                           "출력합니다.",
                           "tutor report --live needs a terminal: {reason}. Without --live it prints the report once."),
    "crashed": ("예기치 못한 오류로 tutor가 멈췄습니다. 자세한 내용은 {path}에 있습니다.",
                "tutor stopped on an unexpected error; the details are in {path}"),
    # tutor grade / answers / show / new
    "no-problem": ("{path}: '{problem}'이라는 문제가 없습니다 (있는 문제: {ids})",
                   "{path}: no problem '{problem}' (problems: {ids})"),
    "none": ("없음", "none"),
    "new-bad-id": ("'{lesson_id}'은(는) 레슨 id로 쓸 수 없습니다: 영어 소문자와 숫자를 하이픈 하나로 이어 쓰세요(예: apple-backward).",
                   "'{lesson_id}' is not a lesson id: use lowercase letters and digits joined by single hyphens, "
                   "like apple-backward"),
    "new-exists": ("{path}가 이미 있습니다. 덮어쓰지 않습니다.", "{path} already exists; not overwriting it"),
    "new-cannot-write": ("{path}를 쓸 수 없습니다: {reason}", "cannot write {path}: {reason}"),
    "wrote-lesson": ("{path}를 만들었습니다. 고친 다음 tutor check --strict {path}, tutor preview --watch {path}를 실행하세요.",
                     "wrote {path}; edit it, then run: tutor check --strict {path}, and tutor preview --watch {path}"),
    # tutor progress / reset / paths
    "no-progress-yet": ("아직 기록된 진도가 없습니다: {path}", "No progress recorded yet: {path}"),
    "reset-nothing": ("지울 진도가 없습니다: {path}에 진도 파일이 없습니다.",
                      "Nothing to reset: there is no progress file at {path}."),
    "reset-cannot": ("진도를 지울 수 없습니다: {reason}", "Cannot reset: {reason}"),
    "reset-unknown-lesson": ("{path}에 '{lesson}' 레슨의 진도가 없습니다. 진도가 있는 레슨: {known}.",
                             "No progress for lesson '{lesson}' in {path}. Lessons with progress: {known}."),
    "reset-what-lesson": ("{learner}의 '{lesson}' 레슨 진도", "{learner}'s progress of lesson '{lesson}'"),
    "reset-what-all": ("{learner}의 모든 진도", "all of {learner}'s progress"),
    "reset-what-folder": ("{what}({folder} 폴더의 레슨)", "{what} of the lessons in {folder}"),
    "reset-ask": ("{path}에서 {what}(시도 {count}번)를 지울까요? 지우기 전에 백업을 만듭니다.",
                  "Delete {what} ({count} attempts) from {path}? A backup is written first."),
    "reset-kept": ("아무것도 지우지 않았습니다.", "Nothing was deleted."),
    "reset-done": ("{what}(시도 {count}번)를 지웠습니다. 백업: {backup}", "Deleted {what} ({count} attempts). Backup: {backup}"),
    "path-data": ("데이터", "data"),
    "path-database": ("진도 파일", "database"),
    "path-learner": ("학습자", "learner"),
    "path-backups": ("백업", "backups"),
    "path-outbox": ("보관 파일", "outbox"),
    "path-crash-logs": ("오류 기록", "crash logs"),
}


def say(key: str, lang: str, **values) -> str:
    korean, english = MESSAGES[key]
    return (english if lang == "en" else korean).format(**values)
