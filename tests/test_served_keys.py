"""Served in a browser (textual-serve's web driver), every action of the app keeps a key the browser
passes on, and the key bar and the help show only those: browsers keep ctrl+t, ctrl+w, ctrl+n…"""

import json
import subprocess
import sys

from tutor.app.served import BROWSER_KEEPS
from tutor.environment import WEB_DRIVER

PROBE = """
import json
from tutor.app.main import TutorApp
from tutor.app.quiz_screen import QuizScreen
from tutor.app.screens.help import HelpScreen
from tutor.app.screens.home import HomeScreen, LessonList
from tutor.app.screens.lesson import GraphView, LessonScreen, TrainingPanel
from tutor.app.screens.progress import ProgressScreen
screens = [TutorApp, QuizScreen, HelpScreen, HomeScreen, LessonList, GraphView, LessonScreen, TrainingPanel,
           ProgressScreen]
keys = {}
for screen in screens:
    for binding in screen.BINDINGS:
        keys.setdefault(screen.__name__, {}).setdefault(binding.action, []).extend(binding.key.split(","))
print(json.dumps(keys))
"""


def bindings(environment: dict) -> dict:
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60,
                            env=environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_served_every_action_keeps_a_key_the_browser_passes_on():
    import os

    terminal = bindings({k: v for k, v in os.environ.items() if k != "TEXTUAL_DRIVER"})
    served = bindings(os.environ | {"TEXTUAL_DRIVER": WEB_DRIVER})
    assert {screen: set(actions) for screen, actions in served.items()} == \
           {screen: set(actions) for screen, actions in terminal.items()}  # no action lost
    for screen, actions in served.items():
        for action, keys in actions.items():
            assert keys and not set(keys) & BROWSER_KEEPS, (screen, action, keys)
    assert "ctrl+t" in terminal["LessonScreen"]["hint"]  # the terminal keeps its keys
    assert served["LessonScreen"]["hint"] == ["ctrl+g"]
