"""The app's screens: home (lesson list), lesson, progress, help, and the too-small notice."""
