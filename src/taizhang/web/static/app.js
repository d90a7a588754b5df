// Taizhang: a few lines of progressive enhancement; every page works without them.
document.addEventListener("submit", function (event) {
  // ask before the irreversible office decisions (退回, 不同意延期)
  var button = event.submitter;
  if (button && button.classList.contains("danger") && !window.confirm("确定要" + button.textContent.trim() + "吗？")) {
    event.preventDefault();
    return;
  }
  // one click, one submission: a slow network must not file the same report twice
  if (button && event.target.method === "post") {
    window.setTimeout(function () { button.disabled = true; }, 0);
  }
});
document.addEventListener("change", function (event) {
  // the ledger filters apply as soon as a select changes
  if (event.target.tagName === "SELECT" && event.target.form && event.target.form.classList.contains("filters")) {
    event.target.form.submit();
  }
});
window.addEventListener("pageshow", function () {
  // coming back to a page (history.back() from an error) must not leave its buttons disabled
  document.querySelectorAll("button[disabled]").forEach(function (button) { button.disabled = false; });
});
