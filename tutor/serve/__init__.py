"""`tutor serve` and `tutor class`: the tutor in a browser for a whole class, one app process per learner.

Above `tutor.app` and below `tutor.cli`: the roster and its logins (`roster`, `roster_sqlite`), the
class folder (`classroom`), the web server (`server`, the only module that imports aiohttp and
textual-serve) and its pages (`pages`). The server starts `tutor start` processes; it imports nothing
of Textual's.
"""
