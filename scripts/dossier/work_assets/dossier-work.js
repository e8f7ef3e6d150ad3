/* The students' own work, kept in this browser: first choices on the self-checks, and answers.
   See scripts/dossier/work.py for the answer-slot convention. Loaded as a file by the book, and
   inline in stored notebook outputs for Jupyter Lab: it runs once per page, then only enhances
   what is new. Nothing is sent anywhere: everything stays in localStorage, on this device. */
(function () {
  "use strict";
  if (window.dossierWork) {
    window.dossierWork.enhance(document);
    return;
  }

  var BOOK = "pakistan-afghanistan-dossier";
  var KEY = "dossier-work:" + BOOK;
  var FORMAT = "dossier-work";
  var VERSION = 1;
  var NOTE = "Kept in this browser, on this device only; nothing is sent anywhere.";
  var PROBLEMS = {
    blocked: "This browser does not let the book keep anything (private browsing, or site data blocked): " +
      "what you choose and write here is not saved. Copy your answers somewhere else before you leave the page.",
    full: "This browser's storage for the book is full: your latest changes are not saved. " +
      "Download your work from the My work page, or free some space, then type again.",
  };

  var problem = null; /* null, "blocked" or "full" */
  var memory = null; /* the latest data, when the browser would not keep it */
  var listeners = [];

  function empty() {
    return {format: FORMAT, version: VERSION, book: BOOK, name: "", answers: {}, choices: {}};
  }

  function isText(value) { return typeof value === "string"; }
  function isObject(value) { return value !== null && typeof value === "object" && !Array.isArray(value); }

  /* The data in a known shape: what does not fit is left out. */
  function normalise(data) {
    var clean = empty();
    if (!isObject(data)) return clean;
    if (isText(data.name)) clean.name = data.name;
    if (isObject(data.answers)) {
      Object.keys(data.answers).forEach(function (id) {
        var answer = data.answers[id];
        if (isObject(answer) && isText(answer.text)) {
          clean.answers[id] = {text: answer.text, saved: isText(answer.saved) ? answer.saved : ""};
        }
      });
    }
    if (isObject(data.choices)) {
      Object.keys(data.choices).forEach(function (id) {
        var choice = data.choices[id];
        if (isObject(choice) && isText(choice.letter) && isText(choice.option) && typeof choice.right === "boolean") {
          clean.choices[id] = {letter: choice.letter, option: choice.option, right: choice.right,
                               chosen: isText(choice.chosen) ? choice.chosen : ""};
        }
      });
    }
    return clean;
  }

  function storage() {
    try {
      var store = window.localStorage;
      return store || null;
    } catch (error) {
      return null;
    }
  }

  function read() {
    if (memory) return normalise(JSON.parse(JSON.stringify(memory)));
    var store = storage();
    if (!store) {
      problem = "blocked";
      return empty();
    }
    var raw;
    try {
      raw = store.getItem(KEY);
    } catch (error) {
      problem = "blocked";
      return empty();
    }
    if (!raw) return empty();
    try {
      return normalise(JSON.parse(raw));
    } catch (error) {
      /* Unreadable (cut short by a full disk?): kept aside, never silently overwritten. */
      try { store.setItem(KEY + ":unreadable", raw); } catch (ignored) { /* nothing more to do */ }
      return empty();
    }
  }

  function write(data) {
    var store = storage();
    try {
      if (!store) throw new Error("no storage");
      store.setItem(KEY, JSON.stringify(data));
      memory = null;
      problem = null;
      return true;
    } catch (error) {
      memory = data;
      var quota = error && (error.name === "QuotaExceededError" || error.code === 22 || error.code === 1014);
      problem = quota ? "full" : "blocked";
      return false;
    }
  }

  /* Read, change, write: each change starts from what is stored now (another tab may have saved). */
  function update(change) {
    var data = read();
    change(data);
    var saved = write(data);
    notify();
    return saved;
  }

  function clear() {
    memory = null;
    var store = storage();
    try {
      if (!store) throw new Error("no storage");
      store.removeItem(KEY);
      problem = null;
    } catch (error) {
      problem = "blocked";
      notify();
      return false;
    }
    notify();
    return true;
  }

  function notify() {
    listeners.forEach(function (listener) { listener(); });
  }

  function onChange(listener) { listeners.push(listener); }

  /* A first read tells whether the browser keeps anything at all. */
  function check() {
    var store = storage();
    if (!store) { problem = "blocked"; return problem; }
    try {
      store.getItem(KEY);
    } catch (error) {
      problem = "blocked";
    }
    return problem;
  }

  function now() { return new Date().toISOString(); }

  function make(tag, className, text) {
    var element = document.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined) element.textContent = text;
    return element;
  }

  function setText(element, text) {
    if (element.textContent !== text) element.textContent = text;
  }

  /* ------------------------------------------------------------------ self-checks */

  function questionOptions(question) {
    return Array.prototype.map.call(question.querySelectorAll("li[data-work-option]"), function (item) {
      return {
        item: item,
        letter: item.getAttribute("data-work-option"),
        text: item.getAttribute("data-work-text"),
        button: item.querySelector("button.dossier-quiz-choice"),
        feedback: item.querySelector(".dossier-quiz-feedback"),
        right: item.querySelector(".dossier-quiz-feedback").getAttribute("data-verdict") === "right",
      };
    });
  }

  /* A stored choice counts if its option is still there, word for word. */
  function choiceOf(question, data) {
    var qid = question.getAttribute("data-work-question");
    var choice = data.choices[qid];
    if (!choice) return null;
    var option = questionOptions(question).filter(function (o) { return o.text === choice.option; })[0];
    return option ? {choice: choice, option: option} : null;
  }

  function chapterScore(block, data) {
    var questions = block.querySelectorAll(".dossier-quiz[data-work-question]");
    var chosen = 0, right = 0;
    Array.prototype.forEach.call(questions, function (question) {
      var found = choiceOf(question, data);
      if (found) {
        chosen += 1;
        if (found.choice.right) right += 1;
      }
    });
    return {total: questions.length, chosen: chosen, right: right};
  }

  function scoreText(score) {
    if (!score.chosen) return "First-try score: no choice made yet (" + score.total + " self-checks in this chapter).";
    return "First-try score: " + score.right + " right of " + score.chosen + " chosen (" + score.total +
      " self-checks in this chapter).";
  }

  function showQuestion(question, data) {
    var found = choiceOf(question, data);
    questionOptions(question).forEach(function (option) {
      var chosen = Boolean(found) && found.option.letter === option.letter;
      option.item.classList.toggle("dossier-quiz-first", chosen);
      var tag = option.button.querySelector(".dossier-quiz-tag");
      if (chosen && !tag) {
        option.button.appendChild(make("span", "dossier-quiz-tag", "your first choice"));
      } else if (!chosen && tag) {
        tag.remove();
      }
      if (found) {
        option.button.setAttribute("aria-controls", option.feedback.id);
        if (!option.button.hasAttribute("aria-expanded")) {
          option.button.setAttribute("aria-expanded", String(chosen));
          option.feedback.hidden = !chosen;
        }
      } else {
        option.button.removeAttribute("aria-controls");
        option.button.removeAttribute("aria-expanded");
        option.feedback.hidden = true;
      }
    });
    question.classList.toggle("dossier-quiz-chosen", Boolean(found));
  }

  function showBlock(block, data) {
    Array.prototype.forEach.call(block.querySelectorAll(".dossier-quiz[data-work-question]"), function (question) {
      showQuestion(question, data);
    });
    var score = block.querySelector(".dossier-quiz-score");
    if (score) setText(score, scoreText(chapterScore(block, data)));
    var warning = block.querySelector(".dossier-work-problem");
    if (warning) {
      setText(warning, problem ? PROBLEMS[problem] : "");
      warning.hidden = !problem;
    }
  }

  function choose(block, question, option) {
    var data = read();
    var qid = question.getAttribute("data-work-question");
    var status = question.querySelector(".dossier-quiz-status");
    if (choiceOf(question, data)) {
      /* After the first choice: each option opens and closes its own feedback. */
      var open = option.button.getAttribute("aria-expanded") !== "true";
      option.button.setAttribute("aria-expanded", String(open));
      option.feedback.hidden = !open;
      return;
    }
    var saved = update(function (stored) {
      stored.choices[qid] = {letter: option.letter, option: option.text, right: option.right, chosen: now()};
    });
    data = read();
    questionOptions(question).forEach(function (o) { o.button.removeAttribute("aria-expanded"); });
    showBlock(block, data);
    var verdict = option.right ? "right" : "not this one";
    setText(status, "Your first choice, " + option.letter + ": " + verdict + ". " +
      "The feedback on every option can now be opened. " + scoreText(chapterScore(block, data)) +
      (saved ? "" : " Not saved: " + PROBLEMS[problem]));
  }

  function enhanceQuestion(block, question) {
    var qid = question.id.replace(/^quiz-/, "");
    question.setAttribute("data-work-question", qid);
    question.setAttribute("data-lm-suppress-shortcuts", "true"); /* Jupyter Lab: keys go to the buttons */
    Array.prototype.forEach.call(question.querySelectorAll("details.dossier-quiz-option"), function (details) {
      var summary = details.querySelector("summary");
      var feedback = details.querySelector(".dossier-quiz-feedback");
      var item = details.parentNode;
      var label = summary.textContent.trim();
      var letter = label.split(".")[0];
      var button = make("button", "dossier-quiz-choice");
      button.type = "button";
      button.id = question.id + "-option-" + letter;
      while (summary.firstChild) button.appendChild(summary.firstChild);
      feedback.id = question.id + "-feedback-" + letter;
      feedback.hidden = true;
      item.setAttribute("data-work-option", letter);
      item.setAttribute("data-work-text", label.slice(letter.length + 1).trim());
      item.replaceChild(button, details);
      item.appendChild(feedback);
      button.addEventListener("click", function () {
        var option = questionOptions(question).filter(function (o) { return o.button === button; })[0];
        choose(block, question, option);
      });
    });
    var status = make("p", "dossier-quiz-status");
    status.setAttribute("role", "status");
    question.appendChild(status);
  }

  function enhanceQuizzes(root) {
    Array.prototype.forEach.call(root.querySelectorAll(".dossier-quizzes:not([data-work-ready])"), function (block) {
      block.setAttribute("data-work-ready", "");
      var help = block.querySelector(".dossier-quiz-help");
      var intro = make("p", "dossier-quiz-help dossier-work-help",
        "Choose an option: your first choice is kept, and counts for the chapter's first-try score. " +
        "Then the feedback on every option can be opened. " + NOTE);
      var score = make("p", "dossier-quiz-score");
      var warning = make("p", "dossier-work-problem");
      warning.setAttribute("role", "alert");
      warning.hidden = true;
      if (help) help.replaceWith(intro); else block.insertBefore(intro, block.firstChild);
      intro.after(score, warning);
      Array.prototype.forEach.call(block.querySelectorAll(".dossier-quiz"), function (question) {
        enhanceQuestion(block, question);
      });
      showBlock(block, read());
    });
  }

  /* ------------------------------------------------------------------ answer boxes */

  function boxStatus(slot, saved) {
    var status = slot.querySelector(".dossier-answer-status");
    if (!saved && problem) {
      setText(status, "Not saved. " + PROBLEMS[problem]);
      status.classList.add("dossier-work-problem");
    } else {
      setText(status, saved === "typed" ? "Saved in this browser, on this device only; nothing is sent." : NOTE);
      status.classList.remove("dossier-work-problem");
    }
  }

  function enhanceSlots(root) {
    Array.prototype.forEach.call(root.querySelectorAll("div.dossier-answer[data-answer-id]:not([data-work-ready])"), function (slot) {
      var id = slot.getAttribute("data-answer-id");
      if (!/^[a-z0-9]+([-_][a-z0-9]+)*$/.test(id) || document.getElementById("answer-" + id)) return;
      slot.setAttribute("data-work-ready", "");
      slot.setAttribute("data-lm-suppress-shortcuts", "true");
      var label = make("label", "dossier-answer-label", "Your answer: " + (slot.getAttribute("data-answer-label") || id));
      label.htmlFor = "answer-" + id;
      var box = make("textarea", "dossier-answer-text");
      box.id = "answer-" + id;
      box.name = "answer-" + id;
      box.rows = 4;
      box.setAttribute("aria-describedby", "answer-" + id + "-status");
      var status = make("p", "dossier-answer-status");
      status.id = "answer-" + id + "-status";
      status.setAttribute("aria-live", "polite");
      var print = make("div", "dossier-answer-print");
      slot.append(label, box, status, print);
      var stored = read().answers[id];
      box.value = stored ? stored.text : "";
      print.textContent = box.value;
      boxStatus(slot, stored ? "typed" : null);
      /* Jupyter Lab cancels a line break typed inside a notebook cell (its input guard): put it in here. */
      box.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" || event.ctrlKey || event.altKey || event.metaKey || event.isComposing) return;
        if (!box.closest(".jp-Cell")) return;
        event.preventDefault();
        if (!document.execCommand || !document.execCommand("insertText", false, "\n")) {
          box.setRangeText("\n", box.selectionStart, box.selectionEnd, "end");
          box.dispatchEvent(new Event("input", {bubbles: true}));
        }
      });
      box.addEventListener("input", function () {
        print.textContent = box.value;
        var saved = update(function (data) {
          if (box.value) {
            data.answers[id] = {text: box.value, saved: now()};
          } else {
            delete data.answers[id];
          }
        });
        boxStatus(slot, saved ? "typed" : null);
      });
    });
  }

  /* ------------------------------------------------------------------ the page */

  function refresh() {
    var data = read();
    Array.prototype.forEach.call(document.querySelectorAll(".dossier-quizzes[data-work-ready]"), function (block) {
      showBlock(block, data);
    });
    Array.prototype.forEach.call(document.querySelectorAll("div.dossier-answer[data-work-ready]"), function (slot) {
      var box = slot.querySelector("textarea");
      if (box === document.activeElement) return;
      var stored = data.answers[slot.getAttribute("data-answer-id")];
      box.value = stored ? stored.text : "";
      slot.querySelector(".dossier-answer-print").textContent = box.value;
    });
  }

  function enhance(root) {
    check();
    enhanceQuizzes(root);
    enhanceSlots(root);
  }

  window.dossierWork = {
    BOOK: BOOK, KEY: KEY, FORMAT: FORMAT, VERSION: VERSION, NOTE: NOTE, PROBLEMS: PROBLEMS,
    read: read, update: update, write: write, clear: clear, normalise: normalise, check: check,
    problem: function () { return problem; }, onChange: onChange, enhance: enhance, refresh: refresh,
  };
  /* Another tab saved: show it here too. */
  window.addEventListener("storage", function (event) {
    if (event.key === KEY || event.key === null) refresh();
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  } else {
    enhance(document);
  }
})();
