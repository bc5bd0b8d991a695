// Updates the 72-hour countdown badges every minute (the server renders the first value).
(function () {
  "use strict";
  var badges = document.querySelectorAll("[data-deadline]");
  if (!badges.length) { return; }
  var lang = document.documentElement.lang || "nl";
  var words = lang === "nl"
    ? { left: "nog", overdue: "te laat", h: "u", min: "min" }
    : { left: "", overdue: "overdue", h: "h", min: "min" };
  function tick() {
    var now = Date.now();
    badges.forEach(function (badge) {
      var deadline = Date.parse(badge.dataset.deadline);
      if (isNaN(deadline)) { return; }
      var ms = deadline - now;
      var minutes = Math.floor(Math.abs(ms) / 60000);
      var text = Math.floor(minutes / 60) + " " + words.h + " " + (minutes % 60) + " " + words.min;
      var elapsedHours = 72 - ms / 3600000;
      var cls = elapsedHours >= 72 ? "countdown-overdue" : elapsedHours >= 60 ? "countdown-red" : elapsedHours >= 48 ? "countdown-orange" : "countdown-green";
      ["countdown-green", "countdown-orange", "countdown-red", "countdown-overdue"].forEach(function (c) { badge.classList.remove(c); });
      badge.classList.add(cls);
      var label = badge.querySelector("[data-countdown-text]");
      if (label) {
        label.textContent = ms >= 0 ? (words.left ? words.left + " " + text : text + " left") : text + " " + words.overdue;
      }
    });
  }
  window.setInterval(tick, 60000);
})();
