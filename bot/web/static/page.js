// Shows each drop-in in the reader's own time zone, computed in the browser; the Eastern time stays beside it.
"use strict";
(function () {
  var lang = document.body.getAttribute("data-lang") === "fr" ? "fr" : "en";
  var yours = document.body.getAttribute("data-your-time") || "";
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  function clock(d) {
    var h = d.getHours(), m = d.getMinutes();
    if (lang === "fr") { return h + " h" + (m ? " " + String(m).padStart(2, "0") : ""); }
    return ((h % 12) || 12) + ":" + String(m).padStart(2, "0") + (h < 12 ? " a.m." : " p.m.");
  }
  var day = new Intl.DateTimeFormat(lang + "-CA", { weekday: "long", year: "numeric", month: "long", day: "numeric" });
  document.querySelectorAll("time.local").forEach(function (el) {
    var d = new Date(el.getAttribute("datetime"));
    if (isNaN(d)) { return; }
    el.textContent = yours + " " + day.format(d) + ", " + clock(d) + (zone ? " (" + zone + ")" : "");
  });
})();
