"""The Textual app (`tutor start`). The only package of the project that imports Textual."""
