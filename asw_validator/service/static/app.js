// asw-validator service page: optional comforts on top of a form that works without it.
// Dropping files on the drop area adds them to the file input; the chosen files are listed;
// the button says the form is being sent. Nothing is sent anywhere else.
"use strict";
(function () {
  var form = document.getElementById("upload");
  var input = document.getElementById("files");
  var drop = document.getElementById("drop");
  var chosen = document.getElementById("chosen");
  if (!form || !input || !drop || !chosen) {
    return;
  }

  // The page's own words, in its language (data attributes written by the server).
  var size = chosen.dataset.size || "{n} bytes";

  function list() {
    chosen.textContent = "";
    for (var i = 0; i < input.files.length; i++) {
      var item = document.createElement("li");
      item.textContent =
        input.files[i].name + " (" + size.replace("{n}", String(input.files[i].size)) + ")";
      chosen.appendChild(item);
    }
  }

  function add(files) {
    var all = new DataTransfer();
    var i;
    for (i = 0; i < input.files.length; i++) {
      all.items.add(input.files[i]);
    }
    for (i = 0; i < files.length; i++) {
      all.items.add(files[i]);
    }
    input.files = all.files;
    list();
  }

  ["dragenter", "dragover"].forEach(function (name) {
    drop.addEventListener(name, function (event) {
      event.preventDefault();
      drop.classList.add("over");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    drop.addEventListener(name, function () {
      drop.classList.remove("over");
    });
  });
  drop.addEventListener("drop", function (event) {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) {
      add(event.dataTransfer.files);
    }
  });
  input.addEventListener("change", list);
  var button = document.getElementById("submit");
  var label = button ? button.textContent : "";
  form.addEventListener("submit", function () {
    if (button) {
      button.disabled = true;
      button.textContent = button.dataset.busy || label;
    }
  });
  // Back to a page kept in the browser's cache: the button works again.
  window.addEventListener("pageshow", function () {
    if (button) {
      button.disabled = false;
      button.textContent = label;
    }
  });
})();
