// The "continue" button after a session ends: load the page again, which starts a new session that
// resumes where the learner left off.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("restart").addEventListener("click", () => window.location.reload());
});
