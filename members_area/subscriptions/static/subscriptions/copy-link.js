// Progressive enhancement for "Mijn agenda": a button that copies the calendar address.
// Without JavaScript the address stays a read-only field to select and copy by hand.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (container) {
    var field = document.getElementById(container.getAttribute("data-copy-target"));
    if (!field || !navigator.clipboard) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "member-button member-button--secondary";
    button.textContent = container.getAttribute("data-label");
    var status = document.createElement("p");
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        status.textContent = container.getAttribute("data-done");
      });
    });
    container.appendChild(button);
    container.appendChild(status);
  });
})();
