/* deskdraft Outlook pane: read the open e-mail, run a draft job, show and act on the draft. */
"use strict";

(function () {
  const { el, ui: makeUi, runJob, firstResult, draftTools, verifiedBadge, maybeBadge } = window.deskdraft;
  const { readItem, isoWithOffset } = window.deskdraftItem;
  let ui;
  let current = null; // { document, sourceText, compose }

  function describeItem(read) {
    const info = document.getElementById("item-info");
    info.replaceChildren(...[
      el("strong", { text: read.document.title || "(no subject)" }),
      el("br"),
      read.compose ? "Draft reply" : `From ${read.document.from}`,
      read.compose ? null : ` · ${new Date(read.document.date).toLocaleString()}`,
      read.attachments.length
        ? ` · ${read.attachments.length} attachment(s): ${read.attachments.map((a) => a.name).join(", ")}`
        : null,
    ].filter((part) => part !== null));
  }

  function setSource(text) {
    document.getElementById("source").textContent = text;
  }

  /* Highlight characters start..end of the source text (the text sent with the job). */
  function highlight(span) {
    const pre = document.getElementById("source");
    const text = current.sourceText;
    if (!span) {
      pre.textContent = text;
      return;
    }
    const mark = el("mark", { id: "source-mark" }, text.slice(span.start, span.end));
    pre.replaceChildren(text.slice(0, span.start), mark, text.slice(span.end));
    document.getElementById("source-box").open = true;
    mark.scrollIntoView({ block: "nearest" });
  }

  /* Where the draft gives no span, the source sentence sharing most words with the point. */
  function bestSentence(point, text) {
    const words = (s) => new Set(s.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) || []);
    const wanted = words(point);
    let best = null;
    const sentence = /[^.!?\n]+[.!?]*/g;
    let match;
    while ((match = sentence.exec(text))) {
      const have = words(match[0]);
      let shared = 0;
      for (const word of wanted) if (have.has(word)) shared += 1;
      if (shared && (!best || shared > best.shared)) {
        best = { start: match.index, end: match.index + match[0].length, shared };
      }
    }
    return best;
  }

  function spanFor(point) {
    const text = current.sourceText;
    const source = (point.sources || [])[0];
    // a span into another text (a quoted message of the thread) is found by its words
    const sent = current.document.id;
    const ours = source && (!source.document_id || !sent || source.document_id === sent);
    if (ours && source.end > source.start && source.end <= text.length) return source;
    return bestSentence(point.text || "", text);
  }

  function insertIntoReply(text, note) {
    const item = Office.context.mailbox.item;
    if (current.compose) {
      item.body.setSelectedDataAsync(text, { coercionType: Office.CoercionType.Text }, (result) => {
        note.textContent = result.status === Office.AsyncResultStatus.Failed
          ? `Outlook could not insert the text: ${result.error.message}`
          : "Inserted into your reply.";
      });
    } else {
      item.displayReplyForm(text);
      note.textContent = "Opened a reply with the draft.";
    }
  }

  function card(title, result, kind, state, textNode, extra) {
    const box = el("article", { class: "card", "aria-label": title },
      el("h2", {}, title, " ", verifiedBadge(result)), textNode);
    return { box, finish: () => draftTools(box, { jobId: state.id, kind, textNode, extra }) };
  }

  function renderSummary(state, title) {
    const result = firstResult(state);
    const text = el("p", { class: "draft-text", id: "summary-text" }, result.summary || result.text || "");
    const { box, finish } = card(title, result, state.kind || "summarize", state, text, [
      { label: "Insert into reply", run: insertIntoReply },
    ]);
    const points = result.key_points || [];
    if (points.length) {
      const list = el("ul", { class: "key-points", "aria-label": "Key points: choose one to see its source" });
      points.forEach((point, index) => {
        const span = spanFor(point);
        const show = () => {
          for (const li of list.children) li.classList.toggle("active", li === item);
          highlight(span);
        };
        const item = el("li", {
          tabindex: "0",
          "data-index": index,
          "aria-describedby": "source",
          onmouseenter: show,
          onfocus: show,
          onclick: show,
          onkeydown: (event) => {
            if (event.key === "Enter" || event.key === " ") {
              event.preventDefault();
              show();
            }
          },
        }, point.text);
        list.append(item);
      });
      box.append(el("h2", {}, "Key points"), list);
    }
    finish();
    return box;
  }

  /* The wall-clock time as the e-mail meant it ("7 PM Friday" stays 7 PM), with its zone,
   * and the reader's own time when that differs. */
  function formatWhen(suggestion) {
    const start = String(suggestion.start || "");
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(start);
    if (!m) return start;
    const wall = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] || 0), +(m[5] || 0)));
    const day = wall.toLocaleDateString(undefined, {
      weekday: "long", year: "numeric", month: "long", day: "numeric", timeZone: "UTC",
    });
    if (suggestion.all_day || !m[4]) return day;
    const time = wall.toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit", timeZone: "UTC" });
    const offset = (/(Z|[+-]\d{2}:\d{2})$/.exec(start) || [])[1];
    const zone = suggestion.timezone || (offset ? (offset === "Z" ? "UTC" : `UTC${offset}`) : "");
    let text = `${day}, ${time}${zone ? ` (${zone})` : ""}`;
    const instant = new Date(start);
    if (offset && !Number.isNaN(instant.getTime())) {
      const minutes = offset === "Z" ? 0 : (offset[0] === "-" ? -1 : 1) * (+offset.slice(1, 3) * 60 + +offset.slice(4, 6));
      if (-instant.getTimezoneOffset() !== minutes) {
        text += ` · your time: ${instant.toLocaleString(undefined, { weekday: "short", hour: "numeric", minute: "2-digit" })}`;
      }
    }
    return text;
  }

  const icsStamp = (date) => date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const icsText = (value) => String(value || "").replace(/[\\;,]/g, (c) => "\\" + c).replace(/\r?\n/g, "\\n");

  function toIcs(suggestion) {
    const start = new Date(suggestion.start);
    const end = suggestion.end ? new Date(suggestion.end) : new Date(start.getTime() + 3600000);
    const day = (d) => d.toISOString().slice(0, 10).replace(/-/g, "");
    const lines = [
      "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//deskdraft//Outlook pane//EN", "BEGIN:VEVENT",
      `UID:${icsStamp(start)}-${Math.random().toString(36).slice(2)}@deskdraft`,
      `DTSTAMP:${icsStamp(new Date())}`,
      suggestion.all_day ? `DTSTART;VALUE=DATE:${day(start)}` : `DTSTART:${icsStamp(start)}`,
      suggestion.all_day ? `DTEND;VALUE=DATE:${day(new Date(start.getTime() + 86400000))}` : `DTEND:${icsStamp(end)}`,
      `SUMMARY:${icsText(suggestion.title)}`,
      suggestion.location ? `LOCATION:${icsText(suggestion.location)}` : null,
      "END:VEVENT", "END:VCALENDAR",
    ].filter(Boolean);
    return lines.join("\r\n") + "\r\n";
  }

  function addToCalendar(suggestion, note) {
    const mailbox = Office.context.mailbox;
    const start = new Date(suggestion.start);
    const end = suggestion.end ? new Date(suggestion.end) : new Date(start.getTime() + 3600000);
    if (mailbox && typeof mailbox.displayNewAppointmentForm === "function") {
      mailbox.displayNewAppointmentForm({
        requiredAttendees: (suggestion.attendees || [])
          .map((a) => (typeof a === "string" ? (/<([^>]+)>/.exec(a) || [])[1] || a : a.email || a.address))
          .filter(Boolean)
          .slice(0, 100),
        start,
        end,
        location: suggestion.location || "",
        subject: suggestion.title || current.document.title,
        body: suggestion.evidence && suggestion.evidence.text ? suggestion.evidence.text : "",
      });
      note.textContent = "Opened a new appointment.";
      return;
    }
    window.deskdraft.download("meeting.ics", new Blob([toIcs(suggestion)], { type: "text/calendar" }));
    note.textContent = "Downloaded meeting.ics; open it to add the meeting.";
  }

  function renderMeetings(state) {
    const result = firstResult(state);
    const suggestions = result.suggestions || result.meetings || [];
    const text = el("p", { class: "draft-text" }, result.text ||
      (suggestions.length ? `${suggestions.length} suggestion(s) found.` : "No proposed meeting or deadline found in this e-mail."));
    const { box, finish } = card("Meeting suggestions", result, "suggest_meetings", state, text);
    const list = el("ul", { class: "suggestions" });
    suggestions.forEach((suggestion, index) => {
      const note = el("span", { class: "meta", role: "status" });
      list.append(el("li", { "data-index": index },
        el("strong", {}, suggestion.title || "Meeting"),
        el("span", { class: "meta" }, suggestion.kind === "deadline" ? "Deadline" : "Meeting",
          suggestion.location ? ` · ${suggestion.location}` : ""),
        el("time", { class: "when", datetime: suggestion.start }, formatWhen(suggestion)),
        suggestion.likely === false ? maybeBadge() : null,
        el("br"),
        el("button", {
          type: "button",
          "aria-label": `Add “${suggestion.title || "meeting"}” to calendar`,
          onclick: () => addToCalendar(suggestion, note),
        }, "Add to calendar"),
        note));
    });
    box.append(list);
    finish();
    return box;
  }

  function renderActions(state) {
    const result = firstResult(state);
    const items = result.action_items || result.items || [];
    const text = el("p", { class: "draft-text" }, result.text ||
      items.map((i) => `- ${i.text}`).join("\n") || "Nothing in this e-mail asks you to act.");
    text.hidden = items.length > 0;
    const { box, finish } = card("Action items", result, "action_items", state, text, [
      { label: "Insert into reply", run: insertIntoReply },
    ]);
    const list = el("ul", { class: "checklist", "aria-label": "Action items" });
    items.forEach((item, index) => {
      const id = `action-${index}`;
      const box2 = el("input", { type: "checkbox", id });
      const li = el("li", {}, box2, el("label", { for: id }, item.text,
        el("span", { class: "meta" }, [item.owner && `Owner: ${item.owner}`, item.due && `Due: ${item.due}`].filter(Boolean).join(" · "))));
      box2.addEventListener("change", () => li.classList.toggle("done", box2.checked));
      const span = spanFor(item);
      li.addEventListener("mouseenter", () => highlight(span));
      box2.addEventListener("focus", () => highlight(span));
      list.append(li);
    });
    box.append(list);
    finish();
    return box;
  }

  const JOBS = {
    summarize: { kind: "summarize", title: "Summary", render: (s) => renderSummary(s, "Summary") },
    summarize_thread: { kind: "summarize", title: "Thread summary", thread: true, render: (s) => renderSummary(s, "Thread summary") },
    suggest_meetings: { kind: "suggest_meetings", title: "Meeting suggestions", render: renderMeetings },
    action_items: { kind: "action_items", title: "Action items", render: renderActions },
    reply: {
      kind: "reply",
      title: "Reply draft",
      render: (s) => window.deskdraftReply.render(s, {
        compose: current.compose, highlight, redraft: (intent) => run("reply", { intent }),
      }),
    },
  };

  const toolbar = () => document.querySelectorAll(".actions button");

  /* The open e-mail as the server reads it: an ingest job cleans the body and headers the
     way mail fetched over IMAP, EWS or Graph is cleaned (new text, quoted history and
     signature apart; category signals). The same item read again reuses the answer. */
  let cleaning = null; // { key, promise }
  function cleanedMail(read) {
    const key = JSON.stringify([read.document.source, read.headers, read.body]);
    if (!cleaning || cleaning.key !== key) {
      const mail = { ...read.document, body: read.body, headers: read.headers };
      const promise = runJob("ingest", { document: mail }, { full: true }).then(firstResult);
      cleaning = { key, promise };
      promise.catch(() => { if (cleaning && cleaning.promise === promise) cleaning = null; });
    }
    return cleaning.promise;
  }

  async function run(action, extra = {}) {
    const result = document.getElementById("result");
    if (action === "digest") {
      // The digest reads a mailbox on the server, not the open e-mail: a form first.
      ui.clearError();
      window.deskdraftDigest.open(result, {
        ui,
        setBusy: (busy) => toolbar().forEach((b) => (b.disabled = busy)),
      });
      return;
    }
    const job = JOBS[action];
    if (!job) return;
    ui.clearError();
    result.replaceChildren();
    const buttons = toolbar();
    buttons.forEach((b) => (b.disabled = true));
    try {
      ui.busy("Reading the e-mail…");
      const read = await readItem();
      describeItem(read);
      // The server cleans the mail; the drafts read its new text, but a thread summary
      // reads the quoted history as the thread's earlier messages, and a reply being
      // written answers the newest quoted message (option answer_quoted).
      const answering = action === "reply" && read.compose;
      const mail = await cleanedMail(read);
      const text = job.thread
        ? [mail.text, mail.quoted].filter((part) => part).join("\n\n")
        : answering ? mail.quoted || mail.text : mail.text;
      current = { document: mail, sourceText: text, compose: read.compose };
      setSource(text);
      const options = job.thread ? { thread: true }
        : action === "reply" ? { ...window.deskdraftReply.jobOptions(extra), ...(answering ? { answer_quoted: true } : {}) }
        : {};
      ui.busy("Sending to deskdraft…");
      const state = await runJob(job.kind, { document: current.document }, options, (s) => ui.progressFrom(s));
      result.append(job.render({ ...state, kind: state.kind || job.kind }));
      ui.idle(`${job.title} ready.`);
      result.querySelector("h2").setAttribute("tabindex", "-1");
      result.querySelector("h2").focus();
    } catch (err) {
      ui.error(err);
    } finally {
      buttons.forEach((b) => (b.disabled = false));
    }
  }

  async function start() {
    ui = makeUi();
    window.deskdraft.setupSettings();
    for (const button of document.querySelectorAll(".actions button")) {
      button.addEventListener("click", () => run(button.dataset.action));
    }
    const action = new URLSearchParams(window.location.search).get("action");
    try {
      const read = await readItem();
      describeItem(read);
      setSource(read.body.trim());
      if (!action) {
        // the text the drafts will read, once the server has cleaned it (an unreachable
        // server is reported when a button is pressed, not here)
        cleanedMail(read).then((mail) => { if (!current) setSource(mail.text); }).catch(() => {});
      }
      // While writing: the thread summary and the reply; while reading: all but the former
      // (the inbox digest is a reading task, so it stays off the compose pane).
      for (const button of document.querySelectorAll(".actions button")) {
        const name = button.dataset.action;
        button.hidden = name === "reply" ? false : read.compose !== (name === "summarize_thread");
      }
    } catch (err) {
      // The digest reads a mailbox on the server: it needs no open e-mail.
      if (action !== "digest") {
        ui.error(err);
        return;
      }
      document.getElementById("item-info").textContent = "No e-mail is open.";
    }
    if (action) run(action);
  }

  Office.onReady(() => start());
  window.deskdraftOutlook = { isoWithOffset, toIcs };
})();
