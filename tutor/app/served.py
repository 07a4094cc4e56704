"""What changes when the app runs in a browser tab (`tutor serve`, textual-serve's web driver).

A browser keeps some keys for itself and never hands them to the page: ctrl+t (new tab), ctrl+w (close
tab), ctrl+n (new window) and their neighbours. Every action has a key a browser passes on (the hint has
ctrl+g beside ctrl+t); served, ``for_browser`` takes the kept keys out of the bindings, so the key bar
and the help show only keys that work there. The answer box's cursor does not blink when served: each
blink is a frame sent to the browser, twice a second per learner, for nothing.

Whether the app is served is `tutor.environment.served` (the terminal check asks it too).
"""

import dataclasses
import os

from tutor.environment import served

BROWSER_KEEPS = frozenset({"ctrl+t", "ctrl+w", "ctrl+n", "ctrl+shift+t", "ctrl+shift+w", "ctrl+shift+n",
                           "ctrl+tab", "ctrl+shift+tab", *(f"ctrl+{n}" for n in range(1, 10))})


def for_browser(bindings: list, environ=os.environ) -> list:
    """``bindings`` as they are in a terminal; served, without the keys a browser keeps (a binding left
    with no key is dropped: another binding of its action has a key that works)."""
    if not served(environ):
        return bindings
    kept = []
    for binding in bindings:
        keys = [key for key in binding.key.split(",") if key.strip() not in BROWSER_KEEPS]
        if keys:
            kept.append(dataclasses.replace(binding, key=",".join(keys)))
    return kept


CURSOR_BLINK = not served()
