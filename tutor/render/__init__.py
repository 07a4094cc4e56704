"""Text renderings for the terminal: computational graphs, math, numbers. No Textual here."""
