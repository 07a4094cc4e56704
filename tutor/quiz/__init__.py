"""Quiz mode: review problems with fresh numbers, scheduled by a Leitner system. Never imports Textual."""
