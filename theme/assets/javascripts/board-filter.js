/* Filters on the board pages: show only the commitments (or rows) that match the chosen
   branch, kind and stage. Plain ES5 for old intranet browsers; without JavaScript the
   controls stay hidden and the page shows everything. */
(function () {
  "use strict";

  function chosen(form) {
    var wanted = {};
    var controls = form.querySelectorAll("select, input[type=checkbox]");
    for (var i = 0; i < controls.length; i++) {
      var c = controls[i];
      if (c.type === "checkbox" ? c.checked : c.value) {
        wanted[c.name] = c.type === "checkbox" ? c.value : c.value;
      }
    }
    return wanted;
  }

  function matches(item, wanted) {
    if (item.hasAttribute("data-always")) return true;
    for (var key in wanted) {
      if (wanted.hasOwnProperty(key) && item.getAttribute("data-" + key) !== wanted[key]) {
        return false;
      }
    }
    return true;
  }

  function apply(form, scope) {
    var wanted = chosen(form);
    var items = scope.querySelectorAll("[data-board-item]");
    var shown = 0;
    var total = 0; // rows shown whatever is chosen (the committee's own) are not counted
    for (var i = 0; i < items.length; i++) {
      var ok = matches(items[i], wanted);
      var counted = !items[i].hasAttribute("data-always");
      items[i].hidden = !ok;
      if (counted) total++;
      if (ok && counted) shown++;
    }
    // A group (a member's card) with nothing matching is hidden only while something is
    // chosen: unfiltered, a member without public commitments still has their card.
    var filtering = Object.keys(wanted).length > 0;
    var groups = scope.querySelectorAll("[data-board-group]");
    for (var j = 0; j < groups.length; j++) {
      groups[j].hidden = filtering && !groups[j].querySelector("[data-board-item]:not([hidden])");
    }
    var count = form.querySelector(".board-filter__count");
    if (count) count.textContent = "显示 " + shown + " / " + total + " 项";
  }

  function setUp() {
    var forms = document.querySelectorAll("[data-board-filter]");
    for (var i = 0; i < forms.length; i++) {
      (function (form) {
        var scope = document.querySelector(form.getAttribute("data-board-filter"));
        if (!scope) return;
        form.hidden = false;
        form.addEventListener("change", function () { apply(form, scope); });
        apply(form, scope);
      })(forms[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
