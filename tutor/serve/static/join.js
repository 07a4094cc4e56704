// A join link carries its token after '#': browsers never send that part to a server. Take it off the
// address bar (and out of the history), put it in the form and send the form.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const token = decodeURIComponent(window.location.hash.slice(1));
  if (!token) return;
  history.replaceState(null, "", window.location.pathname);
  const form = document.getElementById("join");
  form.elements.token.value = token;
  form.submit();
});
