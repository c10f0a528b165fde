/* Tables on a phone. Tables in a .board-stack become one card per row at phone width:
   each cell is labelled with its column's heading (copied here into data-label, which
   the stylesheet shows). Other wide tables scroll sideways under a hint saying so.
   Plain ES5; without JavaScript every table scrolls sideways and stays complete. */
(function () {
  "use strict";

  function label(table) {
    var heads = table.querySelectorAll("thead th");
    var rows = table.querySelectorAll("tbody tr");
    for (var r = 0; r < rows.length; r++) {
      var cells = rows[r].children;
      for (var c = 0; c < cells.length && c < heads.length; c++) {
        cells[c].setAttribute("data-label", heads[c].textContent);
      }
    }
  }

  function hint(wrap) {
    var table = wrap.querySelector("table");
    if (!table || wrap.closest(".board-stack")) return;
    var wide = table.scrollWidth > wrap.clientWidth + 2;
    var note = wrap.previousElementSibling;
    var has = note && note.className === "board-scroll-hint";
    if (wide && !has) {
      note = document.createElement("p");
      note.className = "board-scroll-hint";
      note.setAttribute("aria-hidden", "true");
      note.textContent = "表格较宽，可左右滑动查看 →";
      wrap.parentNode.insertBefore(note, wrap);
    } else if (!wide && has) {
      note.parentNode.removeChild(note);
    }
  }

  function setUp() {
    var stacked = document.querySelectorAll(".board-stack table");
    for (var i = 0; i < stacked.length; i++) label(stacked[i]);
    var wraps = document.querySelectorAll(".md-typeset__scrollwrap");
    for (var j = 0; j < wraps.length; j++) hint(wraps[j]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
  window.addEventListener("resize", function () {
    var wraps = document.querySelectorAll(".md-typeset__scrollwrap");
    for (var j = 0; j < wraps.length; j++) hint(wraps[j]);
  });
})();
