"""What `tutor class`, `tutor serve` and the class's web pages say, in Korean and English.

Commands speak the instructor's language (``--lang``, TUTOR_LANG, the locale); pages say everything in
both, Korean first: a learner who has not joined yet has no language setting.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # names (tutor.serve.roster.check_name)
    "name.empty": {"ko": "이름이 비어 있습니다.", "en": "the name is empty."},
    "name.too_long": {"ko": "이름은 {max}자까지 쓸 수 있습니다.", "en": "a name has at most {max} characters."},
    "name.start": {"ko": "이름은 글자나 숫자로 시작해야 합니다.", "en": "a name starts with a letter or a digit."},
    "name.char": {"ko": "이름에 쓸 수 없는 문자 '{char}'({code})가 있습니다. 글자, 숫자와 가운데의 - _ . 만 "
                        "쓸 수 있습니다(띄어쓰기 없이).",
                  "en": "the character '{char}' ({code}) cannot be part of a name: use letters, digits, and - _ . "
                        "inside (no spaces)."},
    "name.taken": {"ko": "이미 명단에 있는 이름입니다({other}).", "en": "already on the roster (as {other})."},
    "name.bad": {"ko": "이름 {name}: {reason}", "en": "name {name}: {reason}"},
    # tutor class
    "class.missing": {"ko": "{folder}에는 수업이 없습니다. `tutor class add 이름… --class {folder}`로 만드세요.",
                      "en": "There is no class in {folder}. Start one with `tutor class add NAME… --class {folder}`."},
    "class.not_folder": {"ko": "{folder}은(는) 폴더가 아닙니다.", "en": "{folder} is not a folder."},
    "class.added": {"ko": "{count}명을 추가했습니다. 각자의 입장 링크입니다(다시 볼 수 없으니 지금 나눠 주세요; "
                          "잃어버리면 `tutor class links 이름`으로 새로 만듭니다):",
                    "en": "Added {count}. Their join links (shown only now: hand them out; a lost one is replaced "
                          "with `tutor class links NAME`):"},
    "class.reissued": {"ko": "새 입장 링크 {count}개를 만들었습니다. 이 학습자들의 예전 링크는 이제 쓸 수 없습니다 "
                             "(이미 들어온 브라우저는 그대로 이어집니다).",
                       "en": "Made {count} new join links; these learners' old links no longer work (browsers that "
                             "already joined stay in)."},
    "class.default_url": {"ko": "링크 주소는 {url}입니다. 학습자가 다른 주소로 접속한다면 --url http://주소:포트 를 "
                                "주세요(한 번 주면 기억합니다).",
                          "en": "Links point at {url}. If learners reach this machine at another address, give "
                                "--url http://ADDRESS:PORT (it is remembered)."},
    "class.empty": {"ko": "명단이 비어 있습니다.", "en": "The roster is empty."},
    "class.header": {"ko": "이름\t추가한 때\t마지막 입장", "en": "name\tadded\tlast join"},
    "class.never": {"ko": "-", "en": "-"},
    "class.count": {"ko": "학습자 {count}명", "en": "{count} learners"},
    "class.removed": {"ko": "{name}을(를) 명단에서 뺐습니다. 진도는 지우지 않았습니다: {folder}",
                      "en": "Removed {name} from the roster. Their progress is kept: {folder}"},
    "class.unknown": {"ko": "명단에 {name}이(가) 없습니다.", "en": "{name} is not on the roster."},
    "class.db_not_url": {"ko": "--db에는 postgresql:// 주소를 주세요(SQLite로 하는 수업은 학습자마다 수업 폴더에 "
                              "파일이 따로 있어 --db가 필요 없습니다): {db}",
                        "en": "--db takes a postgresql:// URL (a class in SQLite keeps one file per learner in the "
                              "class folder and needs no --db): {db}"},
    "class.other_store": {"ko": "이 수업 폴더는 다른 곳에 수업을 두고 있습니다: {store}",
                          "en": "This class folder keeps its class elsewhere: {store}"},
    "class.db_unreachable": {"ko": "수업 데이터베이스 {store}에 연결할 수 없습니다: {error}",
                             "en": "Cannot reach the class database {store}: {error}"},
    "class.bad_url": {"ko": "--url은 http:// 또는 https://로 시작하는 주소여야 합니다: {url}",
                      "en": "--url must be an http:// or https:// address: {url}"},
    # tutor serve
    "serve.no_extra": {"ko": "tutor serve에는 수업용 패키지가 필요합니다({missing}). 클론한 폴더에서: "
                             "pip install '.[class]'",
                       "en": "tutor serve needs the class extra ({missing}). In the cloned folder: "
                             "pip install '.[class]'"},
    "serve.started": {"ko": "수업 {store}(학습자 {count}명)을 {url} 에서 엽니다. 링크를 잃어버린 학습자에게는 "
                            "명령 tutor class links 이름 --class {folder} 로 새 링크를 만들어 주세요(그 학습자의 "
                            "예전 링크만 바뀝니다). 멈추려면 Ctrl+C.",
                      "en": "Serving the class {store} ({count} learners) at {url}. A learner who lost their link "
                            "gets a new one with: tutor class links NAME --class {folder} (only that learner's old "
                            "link stops working). Ctrl+C stops."},
    "serve.limits": {"ko": "동시 접속 {sessions}개까지, 학습자당 탭 {tabs}개까지; {idle}분 동안 입력이 없으면 "
                           "세션을 닫습니다(진도는 저장되어 있습니다).",
                     "en": "Up to {sessions} sessions at once and {tabs} tabs per learner; a session idle for {idle} "
                           "minutes is closed (progress is saved)."},
    "serve.open": {"ko": "주의: {host}에 열면 이 네트워크의 누구나 접속을 시도할 수 있고, 연결은 암호화되지 않습니다. "
                         "수업 밖의 네트워크라면 TLS를 붙이는 역방향 프록시(Caddy, nginx)를 앞에 두고 "
                         "--public-url https://… 를 주세요(docs/classroom.md).",
                   "en": "Note: on {host} anyone on this network can try to connect, and traffic is not encrypted. "
                         "Beyond a network you trust, put a reverse proxy that adds TLS (Caddy, nginx) in front and "
                         "pass --public-url https://… (docs/classroom.md)."},
    "serve.bad_public_url": {"ko": "--public-url은 http(s)://호스트[:포트] 꼴이어야 합니다(경로 없이): {url}",
                             "en": "--public-url must be http(s)://HOST[:PORT], without a path: {url}"},
    "serve.port_taken": {"ko": "{host}:{port}에 열 수 없습니다: {error}", "en": "Cannot listen on {host}:{port}: {error}"},
}


def say(key: str, lang: str, **values) -> str:
    entry = MESSAGES[key]
    return entry.get(lang, entry["ko"]).format(**values)
