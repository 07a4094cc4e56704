"""Instructor authoring, headless (no Textual): lesson packs and their ``course.yaml``, the strict lints of
``tutor check --strict``, and the printable answer sheet of ``tutor answers --format md``."""
