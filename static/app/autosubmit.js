// Submits a form when one of its [data-autosubmit] controls changes (no inline handlers: the
// Content-Security-Policy allows scripts from this server only).
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el instanceof HTMLElement && el.matches("[data-autosubmit]") && el.form) el.form.requestSubmit();
});
