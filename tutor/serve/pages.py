"""The class's web pages: join, the app's terminal, and the friendly refusals. Every page says its
words in Korean, then English, and loads nothing but the server's own files (static/, and
textual-serve's xterm.js bundle and fonts): no font CDN, no outside host.

Values are escaped here; nothing a request carries reaches a page except the host name (escaped).
"""

from __future__ import annotations

from html import escape

HEAD = """<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<link rel="icon" href="data:,">
<title>{title}</title>
<link rel="stylesheet" href="/static/tutor/page.css">
{extra_head}</head>
"""

# (Korean, English) of every page's words
WORDS = {
    "title": ("오차역전법 연습", "Backpropagation practice"),
    "join.heading": ("수업에 들어가기", "Join the class"),
    "join.label": ("입장 코드", "Join code"),
    "join.button": ("들어가기", "Join"),
    "join.help": ("강사에게 받은 입장 링크를 열면 저절로 들어갑니다. 코드만 받았다면 위에 붙여 넣으세요.",
                  "Opening the join link your instructor gave you brings you in by itself. If you were given "
                  "only the code, paste it above."),
    "connecting": ("연결하는 중…", "Connecting…"),
    "closed": ("세션이 끝났습니다. 오래 입력이 없었거나, 앱을 닫았거나, 연결이 끊겼습니다. 진도는 저장되어 있습니다.",
               "The session has ended: it was idle for a long time, the app was closed, or the connection "
               "dropped. Your progress is saved."),
    "restart": ("이어서 하기", "Continue"),
    "no_session.heading": ("입장 링크로 들어오세요", "Please open your join link"),
    "no_session": ("이 수업은 입장 링크로 들어온 학습자만 볼 수 있습니다. 강사에게 받은 링크를 다시 열어 주세요.",
                   "This class is open to learners who came in through their join link. Open the link your "
                   "instructor gave you again."),
    "bad_token.heading": ("입장 링크가 맞지 않습니다", "This join link does not work"),
    "bad_token": ("링크가 잘못 복사되었거나, 강사가 새 링크를 만들어 더 이상 쓸 수 없습니다. 강사에게 새 링크를 "
                  "받으세요.", "It was copied incompletely, or your instructor has made a new one since. Ask your "
                  "instructor for a new link."),
    "full.heading": ("지금은 자리가 없습니다", "The class is full right now"),
    "full": ("이 서버는 동시에 {limit}명까지 받습니다. 잠시 뒤에 다시 시도하세요.",
             "This server takes {limit} sessions at once. Please try again in a minute."),
    "tabs.heading": ("이미 여러 탭에서 열려 있습니다", "Already open in several tabs"),
    "tabs": ("한 사람이 탭 {limit}개까지 열 수 있습니다. 다른 탭을 닫고 다시 시도하세요.",
             "One learner may have {limit} tabs open. Close another tab and try again."),
    "unavailable.heading": ("수업 명단을 지금 읽을 수 없습니다", "The class roster cannot be read right now"),
    "unavailable": ("수업 데이터베이스에 닿지 않습니다. 잠시 뒤에 다시 시도하세요. 계속되면 강사에게 알려 주세요.",
                    "The class database does not answer. Please try again in a minute; if it goes on, tell "
                    "your instructor."),
    "retry": ("다시 시도", "Try again"),
}


def _both(key: str, **values) -> str:
    """The Korean and English of ``key`` as two paragraphs (values escaped)."""
    ko, en = (escape(text.format(**values)) for text in WORDS[key])
    return f'<p lang="ko">{ko}</p>\n<p lang="en" class="en">{en}</p>\n'


def _heading(key: str) -> str:
    ko, en = (escape(text) for text in WORDS[key])
    return f'<h1><span lang="ko">{ko}</span> <span lang="en" class="en">{en}</span></h1>\n'


def _title() -> str:
    return escape(" · ".join(WORDS["title"]))


def _notice(heading: str, body: str, link: tuple[str, str] | None = None, extra_head: str = "") -> str:
    retry = ""
    if link:
        href, key = link
        retry = f'<p><a class="button" href="{escape(href)}">{escape(" / ".join(WORDS[key]))}</a></p>\n'
    return (HEAD.format(title=_title(), extra_head=extra_head)
            + f'<body class="notice">\n<main>\n{_heading(heading)}{body}{retry}</main>\n</body>\n</html>\n')


def join_page() -> str:
    label = escape(" / ".join(WORDS["join.label"]))
    button = escape(" / ".join(WORDS["join.button"]))
    form = (f'<form id="join" method="post" action="/join">\n'
            f'<label for="token">{label}</label>\n'
            f'<input id="token" name="token" autocomplete="off" autocapitalize="off" spellcheck="false" required>\n'
            f'<button type="submit">{button}</button>\n</form>\n')
    return _notice("join.heading", form + _both("join.help"),
                   extra_head='<script src="/static/tutor/join.js" defer></script>\n')


def refused_page(reason: str) -> str:
    """``reason``: "no_session" (no cookie, or an expired one) or "bad_token" (a join link that does not work)."""
    return _notice(f"{reason}.heading", _both(reason))


def full_page(reason: str, limit: int = 0) -> str:
    """``reason``: "full" (the server's session limit), "tabs" (this learner's tab limit) or "unavailable"
    (the roster's database does not answer): come back later."""
    return _notice(f"{reason}.heading", _both(reason, limit=limit), link=("/", "retry"))


def app_page(websocket_url: str) -> str:
    """The terminal: textual-serve's xterm.js bundle connects to ``websocket_url`` and draws the app."""
    connecting = escape(" / ".join(WORDS["connecting"]))
    restart = escape(" / ".join(WORDS["restart"]))
    extra_head = ('<link rel="stylesheet" href="/static/textual/css/xterm.css">\n'
                  '<script src="/static/textual/js/textual.js"></script>\n'
                  '<script src="/static/tutor/app.js" defer></script>\n')
    return (HEAD.format(title=_title(), extra_head=extra_head)
            + '<body class="app">\n'
            + f'<div class="dialog intro-dialog"><div class="box"><p>{connecting}</p></div></div>\n'
            + f'<div class="dialog closed-dialog"><div class="box">{_both("closed")}'
            + f'<button type="button" id="restart">{restart}</button></div></div>\n'
            + f'<div id="terminal" class="textual-terminal" data-session-websocket-url="{escape(websocket_url)}" '
            + 'data-font-size="16"></div>\n</body>\n</html>\n')
