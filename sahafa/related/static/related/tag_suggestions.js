/* Tag suggestions under the article editor's tags field: one click adds a tag.
   Loaded by sahafa.related.wagtail_hooks (insert_editor_js); labels and the endpoint
   come from the script tag's data attributes. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var cfg = script.dataset;

  function textOf(selector) {
    return Array.prototype.map
      .call(document.querySelectorAll(selector), function (el) {
        return el.value !== undefined && el.tagName !== "DIV" ? el.value : el.textContent;
      })
      .join("\n");
  }

  function addTag(input, name) {
    var $ = window.jQuery;
    if ($ && $(input).data("ui-tagit")) {
      $(input).tagit("createTag", name);
      return;
    }
    var quoted = name.indexOf(" ") >= 0 ? '"' + name + '"' : name;
    input.value = input.value.trim() ? input.value.replace(/[,\s]*$/, "") + ", " + quoted : quoted;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function chip(input, name, list) {
    var li = document.createElement("li");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button-small button-secondary";
    button.textContent = name;
    button.setAttribute("aria-label", cfg.labelAdd.replace("%(name)s", name));
    button.addEventListener("click", function () {
      addTag(input, name);
      li.remove();
    });
    li.appendChild(button);
    list.appendChild(li);
  }

  function group(box, label, names, input) {
    if (!names.length) return;
    var heading = document.createElement("p");
    heading.textContent = label;
    var list = document.createElement("ul");
    list.className = "sahafa-tag-suggestions__list";
    names.forEach(function (name) { chip(input, name, list); });
    box.appendChild(heading);
    box.appendChild(list);
  }

  function suggest(input, box) {
    var form = input.form;
    var data = new FormData();
    data.append("title", textOf('input[name="title"]'));
    data.append("standfirst", textOf('textarea[name="standfirst"]'));
    data.append("body", textOf('[data-contents="true"]'));
    data.append("tags", input.value);
    var token = form && form.querySelector('input[name="csrfmiddlewaretoken"]');
    fetch(cfg.url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: token ? { "X-CSRFToken": token.value } : {},
    })
      .then(function (response) { return response.ok ? response.json() : { tags: [], phrases: [] }; })
      .then(function (result) {
        box.replaceChildren();
        var tags = result.tags.map(function (t) { return t.name; });
        var phrases = result.phrases.map(function (p) { return p.name; });
        group(box, cfg.labelTags, tags, input);
        group(box, cfg.labelPhrases, phrases, input);
        if (!tags.length && !phrases.length) {
          var empty = document.createElement("p");
          empty.textContent = cfg.labelEmpty;
          box.appendChild(empty);
        }
      });
  }

  function init() {
    var input = document.querySelector('input[name="tags"][data-controller~="w-tag"]') ||
      document.querySelector('input[name="tags"]');
    if (!input || document.querySelector(".sahafa-tag-suggestions")) return;
    var wrapper = document.createElement("div");
    wrapper.className = "sahafa-tag-suggestions";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button-small";
    button.textContent = cfg.labelButton;
    var box = document.createElement("div");
    box.setAttribute("aria-live", "polite");
    button.addEventListener("click", function () { suggest(input, box); });
    wrapper.appendChild(button);
    wrapper.appendChild(box);
    var field = input.closest(".w-field") || input.parentNode;
    field.parentNode.insertBefore(wrapper, field.nextSibling);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
