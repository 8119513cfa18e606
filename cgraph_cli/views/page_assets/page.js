/* cgraph page: steps through the data that `cgraph page` computed; computes no gradient itself.
   State at step k = the steps 0..k replayed; every view is redrawn from it. In quiz mode the
   data arrives XOR-ed and in base64 (the same key as views/page.py): out of plain sight, not
   secret. */
(function () {
  "use strict";
  var KEY = "cgraph-quiz";
  var SVGNS = "http://www.w3.org/2000/svg";

  function readData() {
    var element = document.getElementById("cg-data");
    var text = element.textContent.trim();
    if (element.getAttribute("data-encoding") !== "xor-base64") return JSON.parse(text);
    var binary = atob(text);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i) ^ KEY.charCodeAt(i % KEY.length);
    }
    return JSON.parse(new TextDecoder("utf-8").decode(bytes));
  }

  var data = readData();
  var $ = function (id) { return document.getElementById(id); };
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var last = data.steps.length - 1;
  var state = { step: 0, input: 0, results: {} };  // results: blank index -> {status, tries}
  var blankAt = {};
  (data.blanks || []).forEach(function (blank, index) { blankAt[blank.step] = index; });
  var out = data.output;
  var settled = false;  // no smooth scrolling before the first picture is drawn
  function smooth() { return reduced || !settled ? "auto" : "smooth"; }

  // --- the picture: find each node's and edge's group by its <title>, add the badges --------

  var svg = document.querySelector("#cg-graph svg");
  var nodeGroup = {}, edgeGroups = {};
  if (svg) {
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "Computational graph of " + data.title);
    svg.removeAttribute("width");
    svg.removeAttribute("height");
    svg.querySelectorAll("g.node").forEach(function (g) {
      nodeGroup[g.querySelector("title").textContent] = g;
    });
    svg.querySelectorAll("g.edge").forEach(function (g) {
      var title = g.querySelector("title").textContent.replace("\u2192", "->");
      (edgeGroups[title] = edgeGroups[title] || []).push(g);
    });
  }

  // Small graphs grow to fill the panel; big ones keep their text at least at its drawn size
  // (readable on a projector) and the panel scrolls to the current step.
  function fitPicture() {
    if (!svg || !svg.viewBox || !svg.viewBox.baseVal) return;
    var box = svg.viewBox.baseVal;
    var frame = svg.parentNode;
    var wide = frame.clientWidth - 12;
    var tall = window.innerHeight - frame.getBoundingClientRect().top - window.scrollY - 48;
    var drawn = /scale\(([\d.]+)/.exec((svg.querySelector("g.graph") || svg).getAttribute("transform") || "");
    var least = drawn && Number(drawn[1]) > 0 ? Math.max(1, 1 / Number(drawn[1])) : 1;
    var scale = Math.max(least, Math.min(wide / box.width, tall / box.height, 1.6 * least));
    svg.style.width = Math.round(box.width * scale) + "px";
    svg.style.height = Math.round(box.height * scale) + "px";
  }
  fitPicture();
  window.addEventListener("resize", fitPicture);

  function edgeGroup(edge) {
    var groups = edgeGroups[edge.title] || [];
    return groups[edge.copy] || groups[0] || null;
  }

  function badge(group, cls, x, y) {
    var text = document.createElementNS(SVGNS, "text");
    text.setAttribute("class", "cg-badge " + cls);
    text.setAttribute("x", x);
    text.setAttribute("y", y);
    text.setAttribute("text-anchor", "middle");
    group.appendChild(text);
    return text;
  }

  var badges = data.nodes.map(function (node) {
    var group = nodeGroup[node.id];
    if (!group || node.kind === "const") return null;
    var shape = group.querySelector("ellipse, polygon, path");
    var box = (shape || group).getBBox();
    var x = box.x + box.width / 2;
    return {
      value: badge(group, "cg-badge-value", x, box.y + box.height + 16),
      grad: badge(group, "cg-badge-grad", x, box.y - 6)
    };
  });
  var edgeBadge = svg ? badge(svg.querySelector("g.graph") || svg, "cg-badge-edge", 0, 0) : null;

  // --- state at a step ----------------------------------------------------------------------

  function resolved(blankIndex) {
    var result = state.results[blankIndex];
    return !!result && (result.status === "right" || result.status === "revealed");
  }

  // A number the student has not reached (or, in the quiz, not answered) stays hidden.
  function hiddenByQuiz(step) {
    return data.quiz && blankAt[step] !== undefined && !resolved(blankAt[step]);
  }

  function known(upTo) {
    var values = {}, grads = {}, pendingGrad = {};
    for (var k = 0; k <= upTo; k++) {
      var step = data.steps[k];
      var hide = hiddenByQuiz(k);
      step.values.forEach(function (n) { values[n] = !hide; });
      step.grads.forEach(function (g) {
        grads[g[0]] = { text: g[1], complete: g[2] };
        pendingGrad[g[0]] = hide || (data.quiz && !g[2]);
      });
    }
    return { values: values, grads: grads, pendingGrad: pendingGrad };
  }

  // In the quiz nobody steps past a blank that is neither answered nor revealed.
  function furthest() {
    if (!data.quiz) return last;
    for (var k = 0; k <= last; k++) if (hiddenByQuiz(k)) return k;
    return last;
  }

  // In the quiz an edge's product stays hidden until its node's gradient is answered.
  function hideText(step, seen, hide) {
    return hide || (data.quiz && step.kind === "edge" && !!seen.pendingGrad[step.nodes[0]]);
  }

  function gradientName(node) { return "\u2202" + out + "/\u2202" + node.label; }

  // --- drawing ------------------------------------------------------------------------------

  function render() {
    var k = state.step;
    var step = data.steps[k];
    var seen = known(k);
    var hide = hiddenByQuiz(k);
    var backward = step.phase === "backward";

    $("cg-counter").textContent = "Step " + (k + 1) + " / " + data.steps.length;
    var slider = $("cg-slider");
    slider.value = String(k);
    slider.setAttribute("aria-valuetext", "Step " + (k + 1) + " of " + data.steps.length + ": " + step.title);
    $("cg-prev").disabled = k === 0;
    $("cg-reset").disabled = k === 0;
    $("cg-next").disabled = k >= furthest();

    var card = $("cg-step");
    card.className = "cg-card phase-" + step.phase;
    $("cg-phase").textContent = step.phase === "forward" ? "Forward pass" : "Backward pass";
    $("cg-title").textContent = step.title;
    var secret = hideText(step, seen, hide);
    $("cg-text").textContent = secret ? step.ask || step.text : step.text;
    $("cg-local").textContent = step.local ? "local gradient: " + (secret ? step.localAsk : step.local) : "";
    $("cg-gate").textContent = step.gate || "";
    $("cg-chain").textContent = secret ? "(shown once you have answered)" : step.chain;

    drawPicture(step, seen, backward, secret);
    drawTape(step, seen);
    drawQuiz(k);
  }

  function drawPicture(step, seen, backward, secret) {
    if (!svg) return;
    data.nodes.forEach(function (node, index) {
      var group = nodeGroup[node.id];
      if (!group) return;
      group.classList.toggle("cg-now", step.nodes.indexOf(index) >= 0);
      group.classList.toggle("cg-from", step.from === index);
      var b = badges[index];
      if (!b) return;
      var value = node.given || seen.values[index];
      b.value.textContent = value ? node.value : "?";
      b.value.classList.toggle("unknown", !value);
      var grad = seen.grads[index] || (node.given && node.grad && { text: node.grad, complete: true });
      var showGrad = grad && !seen.pendingGrad[index];
      b.grad.textContent = !backward ? "" : showGrad ? grad.text + (grad.complete ? "" : " +\u2026") : "?";
      b.grad.classList.toggle("unknown", !showGrad);
    });
    var current = step.kind === "edge" ? data.edges[step.edge] : null;
    var traversed = {};
    for (var k = 0; k < state.step; k++) {
      if (data.steps[k].kind === "edge") traversed[data.steps[k].edge] = true;
    }
    data.edges.forEach(function (edge, index) {
      var group = edgeGroup(edge);
      if (!group) return;
      group.classList.toggle("cg-in", step.kind === "forward" && step.nodes[0] === edge.to);
      group.classList.toggle("cg-edge-now", index === step.edge && current !== null);
      group.classList.toggle("cg-done", backward && !!traversed[index]);
    });
    placeEdgeBadge(current, step, secret);
    var focus = nodeGroup[(data.nodes[step.nodes[0]] || {}).id];
    var figure = svg.parentNode;
    if (focus && figure.scrollHeight > figure.clientHeight + 4 || focus && figure.scrollWidth > figure.clientWidth + 4) {
      var where = focus.getBoundingClientRect(), frame = figure.getBoundingClientRect();
      if (where.top < frame.top || where.bottom > frame.bottom || where.left < frame.left || where.right > frame.right) {
        figure.scrollBy({
          top: where.top - frame.top - frame.height / 2,
          left: where.left - frame.left - frame.width / 2,
          behavior: smooth()
        });
      }
    }
  }

  function placeEdgeBadge(edge, step, secret) {
    if (!edgeBadge) return;
    var group = edge && edgeGroup(edge);
    var path = group && group.querySelector("path");
    if (!path || !path.getTotalLength) { edgeBadge.textContent = ""; return; }
    var middle = path.getPointAtLength(path.getTotalLength() / 2);
    edgeBadge.setAttribute("x", middle.x);
    edgeBadge.setAttribute("y", middle.y - 7);
    edgeBadge.textContent = secret ? "\u00d7 ?" : "\u00d7 " + step.localValue;
  }

  var tapeBody = document.querySelector("#cg-tape tbody");
  var tapeRows = data.nodes.map(function (node, index) {
    var row = document.createElement("tr");
    if (node.kind === "const") row.className = "const";
    [node.label, node.op, node.expr, "", ""].forEach(function (text, column) {
      var cell = document.createElement(column === 0 ? "th" : "td");
      if (column === 0) cell.setAttribute("scope", "row");
      cell.textContent = text;
      if (column >= 3) cell.className = "num";
      row.appendChild(cell);
    });
    row.dataset.node = String(index);
    tapeBody.appendChild(row);
    return row;
  });
  $("cg-grad-head").textContent = "\u2202" + out + "/\u2202node";

  function drawTape(step, seen) {
    data.nodes.forEach(function (node, index) {
      var row = tapeRows[index];
      var cells = row.children;
      var value = node.given || seen.values[index];
      cells[3].textContent = value ? node.value : "?";
      cells[3].className = "num " + (value ? "value" : "unknown");
      var grad = seen.grads[index] || (node.given && node.grad && step.phase === "backward" && { text: node.grad, complete: true });
      var show = grad && !seen.pendingGrad[index];
      cells[4].textContent = node.kind === "const" || node.grad === "" ? "" : show ? grad.text + (grad.complete ? "" : " +\u2026") : "?";
      cells[4].className = "num " + (show ? "grad" + (grad.complete ? "" : " partial") : "unknown");
      var now = step.nodes.indexOf(index) >= 0;
      row.classList.toggle("now", now);
      if (now) row.setAttribute("aria-current", "step"); else row.removeAttribute("aria-current");
    });
    var first = tapeRows[step.nodes[0]];
    var box = tapeBody.closest(".cg-scroll");
    if (first && box) {  // scroll the tape's own box only, never the page
      var top = first.offsetTop - box.clientHeight / 2;
      if (first.offsetTop < box.scrollTop + 30 || first.offsetTop > box.scrollTop + box.clientHeight - 30) {
        box.scrollTo({ top: Math.max(0, top), behavior: smooth() });
      }
    }
  }

  // --- the sum over paths ---------------------------------------------------------------------

  var select = $("cg-path-input");
  data.paths.forEach(function (doc, index) {
    var option = document.createElement("option");
    option.value = String(index);
    option.textContent = doc.input;
    select.appendChild(option);
  });
  if (!data.paths.length) $("cg-paths-box").hidden = true;

  function quizDone() {
    return !data.quiz || (data.blanks || []).every(function (_, index) { return state.results[index]; }) && state.step === last;
  }

  function highlightPath(edges) {
    data.edges.forEach(function (edge, index) {
      var group = edgeGroup(edge);
      if (group) group.classList.toggle("cg-path", edges.indexOf(index) >= 0);
    });
  }

  function drawPaths() {
    var list = $("cg-paths");
    list.textContent = "";
    var doc = data.paths[state.input];
    if (!doc) return;
    if (data.quiz && !quizDone()) {
      $("cg-path-total").textContent = "";
      var item = document.createElement("li");
      item.textContent = "The paths open when the quiz is finished.";
      list.appendChild(item);
      return;
    }
    doc.paths.forEach(function (path) {
      var item = document.createElement("li");
      item.tabIndex = 0;
      var route = document.createElement("span");
      route.className = "cg-path-route";
      route.textContent = path.nodes.join(" \u2192 ");
      var math = document.createElement("span");
      math.className = "cg-path-math";
      math.textContent = path.text;
      item.appendChild(route);
      item.appendChild(math);
      item.setAttribute("aria-label", "path " + route.textContent + ": " + path.text);
      ["mouseenter", "focus"].forEach(function (name) {
        item.addEventListener(name, function () { highlightPath(path.edges); });
      });
      ["mouseleave", "blur"].forEach(function (name) {
        item.addEventListener(name, function () { highlightPath([]); });
      });
      list.appendChild(item);
    });
    var more = doc.count - doc.paths.length;
    var sum = doc.count > 1 ? "sum of the " + doc.count + " paths: " : "one path: ";
    $("cg-path-total").textContent = sum + doc.total + (more > 0 ? "  (" + more + " more paths not listed)" : "");
  }

  select.addEventListener("change", function () { state.input = Number(select.value); drawPaths(); });

  // --- the quiz -------------------------------------------------------------------------------

  function parseNumber(text) {
    var clean = text.trim().replace(/\u2212/g, "-").replace(/\s+/g, "");
    var decimal = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
    if (decimal.test(clean)) return { value: Number(clean), text: clean };
    var parts = clean.split("/");
    if (parts.length === 2 && decimal.test(parts[0]) && decimal.test(parts[1]) && Number(parts[1]) !== 0) {
      return { value: Number(parts[0]) / Number(parts[1]), text: null };
    }
    return null;
  }

  // Significant digits written and the size of one unit in the last of them: "0.5378" -> 4, 1e-4.
  function precision(text) {
    var match = /^[+-]?(\d*)\.?(\d*)(?:e([+-]?\d+))?$/i.exec(text);
    if (!match) return null;
    var digits = (match[1] + match[2]).replace(/^0+/, "");
    var exponent = match[3] ? Number(match[3]) : 0;
    return { digits: digits.length, unit: Math.pow(10, exponent - match[2].length) };
  }

  // As `cgraph check` (relative tolerance), or right to every digit typed, when at least as
  // many digits are typed as the page shows for that number (the page shows rounded numbers).
  function agrees(entry, target, shown) {
    var scale = Math.max(Math.abs(target), Math.abs(entry.value));
    if (Math.abs(entry.value - target) <= Math.max(data.tol * scale, 1e-12)) return true;
    if (!entry.text) return false;
    var typed = precision(entry.text), page = precision(shown);
    if (!typed || !page) return false;
    return typed.digits >= page.digits && Math.abs(entry.value - target) <= typed.unit * (1 + 1e-9);
  }

  function judge(blank, text) {
    var entry = parseNumber(text);
    if (!entry) return { status: "invalid", message: "Not a number: type a decimal such as -4 or 0.25, or a fraction such as 1/3." };
    if (agrees(entry, blank.answer, blank.shown)) return { status: "right", message: "Correct." };
    for (var i = 0; i < blank.mistakes.length; i++) {
      if (agrees(entry, blank.mistakes[i][0], blank.shown)) {
        return { status: "wrong", message: "Not yet: " + blank.mistakes[i][1] + "." };
      }
    }
    return { status: "wrong", message: "Not yet: " + (blank.what === "value" ? "recompute it from the values of its inputs." : "multiply the upstream gradient by the local gradient, and add over every path.") };
  }

  function drawQuiz(k) {
    var form = $("cg-quiz");
    if (!data.quiz) { form.hidden = true; return; }
    form.hidden = false;
    var index = blankAt[k];
    var blanks = data.blanks;
    var input = $("cg-answer"), verdict = $("cg-verdict");
    var active = index !== undefined;
    input.disabled = !active || resolved(index);
    $("cg-check").disabled = input.disabled;
    $("cg-reveal").disabled = input.disabled;
    if (active) {
      var blank = blanks[index];
      var node = data.nodes[blank.node];
      $("cg-question").textContent = blank.what === "value"
        ? "Your value of " + node.label + " = " + node.expr + ":"
        : "Your " + gradientName(node) + ":";
      var result = state.results[index];
      if (result) {
        verdict.textContent = result.message;
        verdict.className = "cg-verdict " + result.status;
        if (result.status === "revealed" || result.status === "right") input.value = result.entry || blank.shown;
      } else {
        verdict.textContent = "";
        verdict.className = "cg-verdict";
        input.value = "";
      }
    } else {
      $("cg-question").textContent = "No number to fill in at this step: press Next.";
      verdict.textContent = "";
      input.value = "";
    }
    var score = "";
    if (k === last || quizDone()) {
      var right = 0, revealed = 0, first = 0;
      blanks.forEach(function (_, i) {
        var r = state.results[i];
        if (r && r.status === "right") { right++; if (r.tries === 1) first++; }
        if (r && r.status === "revealed") revealed++;
      });
      score = "Score: " + right + " / " + blanks.length + " right (" + first + " at the first try), " + revealed + " revealed.";
    }
    $("cg-score").textContent = score;
    $("cg-rule").textContent = "An answer counts when it is within a relative " + data.tol.toExponential() +
      " of the exact number, or right to every digit you type with at least as many digits as the page shows.";
    drawPaths();
  }

  $("cg-quiz").addEventListener("submit", function (event) {
    event.preventDefault();
    var index = blankAt[state.step];
    if (index === undefined || resolved(index)) return;
    var previous = state.results[index];
    var text = $("cg-answer").value;
    var result = judge(data.blanks[index], text);
    if (result.status === "invalid") {
      $("cg-verdict").textContent = result.message;
      $("cg-verdict").className = "cg-verdict wrong";
      return;
    }
    result.tries = (previous ? previous.tries : 0) + 1;
    result.entry = text;
    state.results[index] = result;
    render();
    if (result.status === "right") $("cg-next").focus();
  });

  $("cg-reveal").addEventListener("click", function () {
    var index = blankAt[state.step];
    if (index === undefined || resolved(index)) return;
    var blank = data.blanks[index];
    var previous = state.results[index];
    state.results[index] = {
      status: "revealed", tries: previous ? previous.tries : 0, entry: blank.shown,
      message: "Revealed: " + blank.shown + " (not scored)."
    };
    render();
  });

  // --- controls -------------------------------------------------------------------------------

  function go(k) {
    state.step = Math.max(0, Math.min(k, furthest()));
    render();
    if (data.quiz && blankAt[state.step] !== undefined && !resolved(blankAt[state.step])) {
      $("cg-answer").focus();
    }
  }

  $("cg-slider").max = String(last);
  $("cg-prev").addEventListener("click", function () { go(state.step - 1); });
  $("cg-next").addEventListener("click", function () { go(state.step + 1); });
  $("cg-reset").addEventListener("click", function () { go(0); });
  $("cg-slider").addEventListener("input", function () { go(Number($("cg-slider").value)); });
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var tag = target && target.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || event.altKey || event.ctrlKey || event.metaKey) return;
    var moves = { ArrowRight: 1, ArrowLeft: -1 };
    if (event.key in moves) { go(state.step + moves[event.key]); event.preventDefault(); }
    else if (event.key === "Home") { go(0); event.preventDefault(); }
    else if (event.key === "End") { go(last); event.preventDefault(); }
  });

  $("cg-notes").textContent = data.notes.length ? "Note: " + data.notes.join("; ") : "";
  drawPaths();
  var linked = /step=(\d+)/.exec(window.location.hash);  // page.html#step=7 opens at step 7
  state.step = linked ? Math.max(0, Math.min(Number(linked[1]) - 1, furthest())) : 0;
  render();
  settled = true;
})();
