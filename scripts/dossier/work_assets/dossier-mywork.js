/* The My work page (book/my_work.md): every answer and first-try score kept in this browser,
   by chapter; download as a file to hand in, import such a file back, print, clear.
   Needs dossier-work.js (the storage) and dossier-work-manifest.js (the questions, written by the
   book's Sphinx extension dossier.sphinxext.work), loaded before it. Nothing is sent anywhere. */
(function () {
  "use strict";
  var root = document.getElementById("dossier-my-work");
  var work = window.dossierWork;
  if (!root || !work) return;
  var manifest = window.dossierWorkManifest || null;
  var EXPORT_FORMAT = "dossier-work-export";
  var EXPORT_VERSION = 1;
  var DATA_ID = "dossier-work-export";
  var MAX_BYTES = 5 * 1024 * 1024;
  var title = manifest ? manifest.title : document.title;
  var contentRoot = document.documentElement.getAttribute("data-content_root") || "";

  /* ------------------------------------------------------------------ small helpers */

  function make(tag, attributes, children) {
    var element = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") element.textContent = attributes[name];
      else if (name === "className") element.className = attributes[name];
      else element.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) { if (child) element.appendChild(child); });
    return element;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"}[c];
    });
  }

  function when(iso) {
    var date = iso ? new Date(iso) : null;
    if (!date || isNaN(date.getTime())) return "";
    return date.toLocaleString(undefined, {dateStyle: "long", timeStyle: "short"});
  }

  /* FNV-1a over the UTF-16 code units: enough to tell a damaged file from a sound one. */
  function checksum(text) {
    var hash = 0x811c9dc5;
    for (var i = 0; i < text.length; i += 1) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return "fnv1a32:" + ("0000000" + hash.toString(16)).slice(-8);
  }

  function pages() { return manifest ? manifest.pages : []; }

  /* Every question of the book with its page, and the answers that match none (kept, never lost). */
  function grouped(data) {
    var known = {};
    var groups = pages().map(function (page) {
      return {
        page: page,
        answered: page.answers.filter(function (q) { known[q.id] = true; return data.answers[q.id]; }),
        open: page.answers.filter(function (q) { return !data.answers[q.id]; }),
      };
    }).filter(function (group) { return group.page.answers.length; });
    var others = Object.keys(data.answers).filter(function (id) { return !known[id]; }).sort();
    return {groups: groups, others: others};
  }

  function scores(data) {
    return pages().filter(function (page) { return page.selfChecks.length; }).map(function (page) {
      var chosen = 0, right = 0;
      page.selfChecks.forEach(function (check) {
        var choice = data.choices[check.id];
        if (choice) {
          chosen += 1;
          if (choice.right) right += 1;
        }
      });
      return {page: page, total: page.selfChecks.length, chosen: chosen, right: right};
    });
  }

  function link(page, fragment) { return contentRoot + page.url + (fragment ? "#" + fragment : ""); }

  /* ------------------------------------------------------------------ the page */

  var problemLine = make("p", {className: "dossier-work-problem", role: "alert"});
  var status = make("p", {className: "dossier-work-message", role: "status"});
  var alert = make("p", {className: "dossier-work-message is-error", role: "alert"});
  var nameInput = make("input", {type: "text", id: "dossier-work-name", autocomplete: "name"});
  var downloadButton = make("button", {type: "button", id: "dossier-work-download", text: "Download my work"});
  var printButton = make("button", {type: "button", id: "dossier-work-print", text: "Print or save as PDF"});
  var fileInput = make("input", {type: "file", id: "dossier-work-import", accept: ".html,.htm,text/html"});
  var clearButton = make("button", {type: "button", id: "dossier-work-clear", text: "Clear my answers…"});
  var confirmYes = make("button", {type: "button", id: "dossier-work-clear-yes", text: "Yes, delete them"});
  var confirmNo = make("button", {type: "button", id: "dossier-work-clear-no", text: "No, keep them"});
  var confirmBox = make("div", {className: "dossier-work-confirm", role: "group", "aria-labelledby": "dossier-work-clear-question"}, [
    make("p", {id: "dossier-work-clear-question", text: "Delete every answer, your name and every self-check choice that this " +
      "browser keeps for the book? This cannot be undone: download your work first if you may need it."}),
    make("p", {className: "dossier-work-actions"}, [confirmYes, confirmNo]),
  ]);
  confirmBox.hidden = true;
  var printName = make("p", {className: "dossier-work-print-name"});
  var summary = make("div", {className: "dossier-work-summary"});

  root.textContent = "";
  root.append(
    problemLine,
    make("div", {className: "dossier-work-controls"}, [
      make("p", {}, [make("label", {className: "dossier-work-name-label", for: "dossier-work-name",
                                    text: "Your name (optional: it goes into the file you download)"}), nameInput]),
      make("p", {className: "dossier-work-actions"}, [downloadButton, printButton, clearButton]),
      confirmBox,
      make("p", {}, [make("label", {className: "dossier-work-name-label", for: "dossier-work-import",
                                    text: "Import a file of my work (made with “Download my work”)"}), fileInput]),
    ]),
    status, alert, printName, summary);

  function say(message, isError) {
    status.textContent = isError ? "" : message;
    alert.textContent = isError ? message : "";
  }

  function showProblem() {
    var problem = work.problem();
    problemLine.textContent = problem ? work.PROBLEMS[problem] : "";
    problemLine.hidden = !problem;
  }

  /* On paper: who and when (the page itself shows the name in its field). */
  function showName(name) {
    printName.textContent = "Name: " + (name || "(not given)") + ". Printed " + when(new Date().toISOString()) + ".";
  }
  window.addEventListener("beforeprint", function () { showName(work.read().name); });

  function render() {
    var data = work.read();
    showProblem();
    if (document.activeElement !== nameInput) nameInput.value = data.name;
    showName(data.name);
    summary.textContent = "";
    if (!manifest) {
      summary.append(make("p", {className: "dossier-work-problem",
        text: "The list of the book's questions (dossier-work-manifest.js) did not load: the answers below are shown by " +
              "their ids. They are safe in this browser."}));
    }
    var table = scores(data);
    summary.append(make("h2", {id: "first-try-scores", text: "First-try scores on the self-checks"}));
    if (table.length) {
      var body = make("tbody");
      var totals = {total: 0, chosen: 0, right: 0};
      table.forEach(function (row) {
        totals.total += row.total; totals.chosen += row.chosen; totals.right += row.right;
        body.append(make("tr", {}, [
          make("th", {scope: "row"}, [make("a", {href: link(row.page, "quiz-" + row.page.selfChecks[0].id), text: row.page.title})]),
          make("td", {text: String(row.right)}), make("td", {text: String(row.chosen)}), make("td", {text: String(row.total)}),
        ]));
      });
      body.append(make("tr", {className: "dossier-work-total"}, [
        make("th", {scope: "row", text: "All chapters"}), make("td", {text: String(totals.right)}),
        make("td", {text: String(totals.chosen)}), make("td", {text: String(totals.total)}),
      ]));
      summary.append(make("table", {className: "table"}, [
        make("caption", {text: "Right at the first try, out of the self-checks chosen, in each chapter"}),
        make("thead", {}, [make("tr", {}, ["Chapter", "Right at first try", "Chosen", "Self-checks"].map(function (name) {
          return make("th", {scope: "col", text: name});
        }))]),
        body,
      ]));
    }
    var found = grouped(data);
    var answered = Object.keys(data.answers).length;
    summary.append(make("h2", {id: "your-answers", text: "Your answers"}));
    summary.append(make("p", {text: answered ? answered + (answered === 1 ? " answer" : " answers") +
      " kept in this browser. Each links to its box, where you can change it." :
      "No answer is kept in this browser yet. Write in the boxes under the exercises and the reading prompts: " +
      "what you type is kept as you type it."}));
    found.groups.forEach(function (group) {
      var section = make("section", {className: "dossier-work-chapter"}, [
        make("h3", {}, [make("a", {href: link(group.page), text: group.page.title})]),
      ]);
      group.answered.forEach(function (question) {
        var answer = data.answers[question.id];
        section.append(make("div", {className: "dossier-work-question", "data-answer-id": question.id}, [
          make("h4", {}, [make("a", {href: link(group.page, "answer-" + question.id), text: question.label})]),
          question.text ? make("p", {className: "dossier-work-question-text", text: question.text}) : null,
          make("div", {className: "dossier-work-answer", text: answer.text}),
          answer.saved ? make("p", {className: "dossier-work-saved", text: "Last changed " + when(answer.saved) + "."}) : null,
        ]));
      });
      if (group.open.length) {
        var list = make("ul", {});
        group.open.forEach(function (question) {
          list.append(make("li", {}, [make("a", {href: link(group.page, "answer-" + question.id), text: question.label})]));
        });
        section.append(make("details", {className: "dossier-work-unanswered"}, [
          make("summary", {text: "Not answered yet: " + group.open.length + (group.answered.length ? " more" : "") +
                                 (group.open.length === 1 ? " question" : " questions")}),
          list,
        ]));
      }
      summary.append(section);
    });
    if (found.others.length) {
      var other = make("section", {className: "dossier-work-chapter"}, [
        make("h3", {text: "Other answers"}),
        make("p", {text: "Answers to questions this edition of the book does not have (they may have been renamed): kept, " +
                         "and in the file you download."}),
      ]);
      found.others.forEach(function (id) {
        other.append(make("div", {className: "dossier-work-question", "data-answer-id": id}, [
          make("h4", {text: id}), make("div", {className: "dossier-work-answer", text: data.answers[id].text}),
        ]));
      });
      summary.append(other);
    }
  }

  /* ------------------------------------------------------------------ download */

  function exportPayload(data, exported) {
    var kept = {name: data.name, answers: data.answers, choices: data.choices};
    return {format: EXPORT_FORMAT, version: EXPORT_VERSION, book: work.BOOK, title: title, exported: exported,
            checksum: checksum(JSON.stringify(kept)), work: kept};
  }

  function exportHtml(data, exported) {
    var found = grouped(data);
    var parts = [];
    parts.push("<h1>My work</h1>",
      "<p><strong>Book:</strong> " + escapeHtml(title) + "</p>",
      "<p><strong>Name:</strong> " + escapeHtml(data.name || "(not given)") + "</p>",
      "<p><strong>Date:</strong> " + escapeHtml(when(exported)) + " (" + escapeHtml(exported.slice(0, 10)) + ")</p>");
    var table = scores(data);
    if (table.length) {
      parts.push("<h2>First-try scores on the self-checks</h2><table><thead><tr><th>Chapter</th><th>Right at first try</th>" +
                 "<th>Chosen</th><th>Self-checks</th></tr></thead><tbody>");
      table.forEach(function (row) {
        parts.push("<tr><th>" + escapeHtml(row.page.title) + "</th><td>" + row.right + "</td><td>" + row.chosen +
                   "</td><td>" + row.total + "</td></tr>");
      });
      parts.push("</tbody></table>");
    }
    parts.push("<h2>Answers</h2>");
    found.groups.forEach(function (group) {
      if (!group.answered.length && !group.open.length) return;
      parts.push("<section><h3>" + escapeHtml(group.page.title) + "</h3>");
      group.answered.forEach(function (question) {
        var answer = data.answers[question.id];
        parts.push("<div class=\"question\"><h4>" + escapeHtml(question.label) + "</h4>" +
          (question.text ? "<p class=\"text\">" + escapeHtml(question.text) + "</p>" : "") +
          "<div class=\"answer\">" + escapeHtml(answer.text) + "</div>" +
          (answer.saved ? "<p class=\"saved\">Last changed " + escapeHtml(when(answer.saved)) + "</p>" : "") + "</div>");
      });
      if (group.open.length) {
        parts.push("<p class=\"open\">Not answered: " + group.open.map(function (q) { return escapeHtml(q.label); }).join("; ") + ".</p>");
      }
      parts.push("</section>");
    });
    if (found.others.length) {
      parts.push("<section><h3>Other answers</h3>");
      found.others.forEach(function (id) {
        parts.push("<div class=\"question\"><h4>" + escapeHtml(id) + "</h4><div class=\"answer\">" +
                   escapeHtml(data.answers[id].text) + "</div></div>");
      });
      parts.push("</section>");
    }
    parts.push("<p class=\"about\">Made with the My work page of the book. To put these answers back into a browser, open " +
               "that page there and import this file.</p>");
    var json = JSON.stringify(exportPayload(data, exported)).replace(/</g, "\\u003c");
    var style = "body{font-family:system-ui,sans-serif;line-height:1.5;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#111}" +
      "table{border-collapse:collapse}th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left}" +
      ".text{white-space:pre-line;color:#444}.answer{white-space:pre-wrap;border-left:4px solid #1a5fb4;padding:.25rem .75rem;" +
      "background:#f4f6fa}.saved,.open,.about{color:#444;font-size:.9em}.question{break-inside:avoid;margin-bottom:1.25rem}";
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">" +
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
      "<meta name=\"generator\" content=\"" + EXPORT_FORMAT + " " + EXPORT_VERSION + "\">" +
      "<title>My work: " + escapeHtml(title) + (data.name ? ", " + escapeHtml(data.name) : "") + "</title>" +
      "<style>" + style + "</style></head><body>" + parts.join("\n") +
      "\n<script type=\"application/json\" id=\"" + DATA_ID + "\">" + json + "</" + "script>\n</body></html>\n";
  }

  function fileName(data, exported) {
    var name = (data.name || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-+|-+$/g, "");
    return "my-work" + (name ? "-" + name : "") + "-" + exported.slice(0, 10) + ".html";
  }

  downloadButton.addEventListener("click", function () {
    var data = work.read();
    var exported = new Date().toISOString();
    var blob = new Blob([exportHtml(data, exported)], {type: "text/html;charset=utf-8"});
    var anchor = make("a", {href: URL.createObjectURL(blob), download: fileName(data, exported)});
    anchor.hidden = true;
    document.body.appendChild(anchor);
    anchor.click();
    anchor.remove();
    setTimeout(function () { URL.revokeObjectURL(anchor.href); }, 10000);
    say("Downloaded “" + anchor.download + "”: " + Object.keys(data.answers).length + " answers. Find it in your " +
        "browser's downloads.", false);
  });

  /* ------------------------------------------------------------------ import */

  /* {payload} or {problem: "a sentence naming what is wrong"}. */
  function readExport(text) {
    if (!text.trim()) return {problem: "the file is empty."};
    var doc = new DOMParser().parseFromString(text, "text/html");
    var marked = Boolean(doc.querySelector("meta[name=generator][content^=\"" + EXPORT_FORMAT + "\"]"));
    var node = doc.getElementById(DATA_ID);
    if (!node) {
      return {problem: marked ? "the file is damaged: its saved answers are missing (it may have been cut short)."
        : "it is not a file of My work from this book (it holds no saved answers). Choose a file made with “Download my work”."};
    }
    var payload;
    try {
      payload = JSON.parse(node.textContent);
    } catch (error) {
      return {problem: "the file is damaged: its saved answers cannot be read (it may have been cut short or edited)."};
    }
    if (!payload || typeof payload !== "object" || payload.format !== EXPORT_FORMAT) {
      return {problem: "it is not a file of My work from this book. Choose a file made with “Download my work”."};
    }
    if (payload.book !== work.BOOK) {
      return {problem: "it is a file of another book (“" + String(payload.title || payload.book) + "”), not of “" + title + "”."};
    }
    if (typeof payload.version !== "number" || payload.version > EXPORT_VERSION) {
      return {problem: "it was made by a newer version of the book (format " + String(payload.version) +
        "); this page reads format " + EXPORT_VERSION + "."};
    }
    if (!payload.work || typeof payload.work !== "object" || payload.checksum !== checksum(JSON.stringify(payload.work))) {
      return {problem: "the file is damaged: its answers do not match the checksum written with them (it was changed " +
        "after it was saved)."};
    }
    return {payload: payload};
  }

  function merge(incoming) {
    var counts = {added: 0, replaced: 0, kept: 0, same: 0, choices: 0};
    var saved = work.update(function (data) {
      Object.keys(incoming.answers).forEach(function (id) {
        var theirs = incoming.answers[id], ours = data.answers[id];
        if (!ours) {
          data.answers[id] = theirs;
          counts.added += 1;
        } else if (ours.text === theirs.text) {
          counts.same += 1;
        } else if ((theirs.saved || "") > (ours.saved || "")) {
          data.answers[id] = theirs;
          counts.replaced += 1;
        } else {
          counts.kept += 1;
        }
      });
      Object.keys(incoming.choices).forEach(function (id) {
        if (!data.choices[id]) {
          data.choices[id] = incoming.choices[id];
          counts.choices += 1;
        }
      });
      if (!data.name && incoming.name) data.name = incoming.name;
    });
    return {saved: saved, counts: counts};
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  fileInput.addEventListener("change", function () {
    var file = fileInput.files && fileInput.files[0];
    if (!file) return;
    var refuse = function (why) {
      say("“" + file.name + "” was not imported: " + why + " Your answers in this browser are as they were.", true);
      fileInput.value = "";
    };
    if (file.size > MAX_BYTES) {
      refuse("it is too large to be a file of My work (" + Math.round(file.size / 1048576) + " MB).");
      return;
    }
    var reader = new FileReader();
    reader.onerror = function () { refuse("it could not be read."); };
    reader.onload = function () {
      var result = readExport(String(reader.result));
      if (result.problem) {
        refuse(result.problem);
        return;
      }
      var merged = merge(work.normalise(result.payload.work));
      fileInput.value = "";
      if (!merged.saved) {
        say("“" + file.name + "” was read, but its answers could not be kept: " + work.PROBLEMS[work.problem()], true);
        return;
      }
      var c = merged.counts;
      say("Imported “" + file.name + "”: " + plural(c.added, "answer added", "answers added") +
          (c.replaced ? ", " + plural(c.replaced, "answer replaced by the file's later version", "answers replaced by the file's later versions") : "") +
          (c.kept ? ", " + plural(c.kept, "answer kept from this browser (changed here later)", "answers kept from this browser (changed here later)") : "") +
          (c.same ? ", " + plural(c.same, "answer already here", "answers already here") : "") +
          ", " + plural(c.choices, "self-check choice added", "self-check choices added") + ".", false);
      render();
    };
    reader.readAsText(file);
  });

  /* ------------------------------------------------------------------ name, print, clear */

  nameInput.addEventListener("input", function () {
    var value = nameInput.value;
    work.update(function (data) { data.name = value; });
    showName(value);
    showProblem();
  });

  printButton.addEventListener("click", function () { window.print(); });

  clearButton.addEventListener("click", function () {
    confirmBox.hidden = false;
    clearButton.setAttribute("aria-expanded", "true");
    confirmNo.focus();
  });
  clearButton.setAttribute("aria-expanded", "false");
  clearButton.setAttribute("aria-controls", "dossier-work-clear-box");
  confirmBox.id = "dossier-work-clear-box";

  function closeConfirm() {
    confirmBox.hidden = true;
    clearButton.setAttribute("aria-expanded", "false");
    clearButton.focus();
  }

  confirmNo.addEventListener("click", function () {
    closeConfirm();
    say("Nothing was deleted.", false);
  });
  confirmYes.addEventListener("click", function () {
    var cleared = work.clear();
    closeConfirm();
    nameInput.value = "";
    render();
    if (cleared) say("Deleted: this browser keeps no answer, name or self-check choice for the book now.", false);
    else say("Nothing could be deleted: " + work.PROBLEMS[work.problem()], true);
  });

  work.onChange(showProblem);
  window.addEventListener("storage", function (event) {
    if (event.key === work.KEY || event.key === null) render();
  });
  work.check();
  render();
  window.dossierMyWork = {readExport: readExport, exportHtml: exportHtml, checksum: checksum};
})();
