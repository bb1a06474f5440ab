/* deskdraft Outlook pane: the "Inbox digest" view. A form (which mailbox or folder, since
 * when) submits a `digest` job; the result is shown in the digest's own order, the same
 * as its HTML and plain text: "Needs you", then mail from people, then one collapsed line
 * per category with its count. Mail text is hostile: everything goes in as text nodes
 * (common.js `el`), never as HTML. Loaded before outlook.js. */
"use strict";

(function () {
  const { el, runJob, firstResult, settings, maybeBadge } = window.deskdraft;

  const SINCE = [
    { value: "24h", label: "Last 24 hours" },
    { value: "7d", label: "Last 7 days" },
    { value: "cursor", label: "Since the last digest" },
  ];
  const SECTIONS = [
    { name: "needs_you", title: "Needs you" },
    { name: "people", title: "From people" },
    { name: "collapsed", title: "Everything else" },
  ];
  // How each line was written: the reader should know a model line from a quoted sentence.
  const PATHS = {
    abstractive: "written by the model, checked against the mail",
    extractive: "a sentence from the mail",
    subject: "no sentence fit to use: the subject line",
    thread: "thread summary",
  };

  /* Open the message in Outlook: an EWS id directly, a REST (Graph) id converted first. */
  function openMessage(item, note) {
    const mailbox = Office.context.mailbox;
    let id = item.ews_id;
    if (!id && item.rest_id && typeof mailbox.convertToEwsId === "function") {
      const version = (Office.MailboxEnums && Office.MailboxEnums.RestVersion && Office.MailboxEnums.RestVersion.v2_0) || "v2.0";
      id = mailbox.convertToEwsId(item.rest_id, version);
    }
    if (id && typeof mailbox.displayMessageForm === "function") {
      mailbox.displayMessageForm(id);
      note.textContent = "";
    } else {
      note.textContent = "Outlook cannot open this message from here.";
    }
  }

  function threadLine(thread, index) {
    const subject = thread.subject || "(no subject)";
    const meta = [
      (thread.participants || []).join(", "),
      `${thread.count} message${thread.count === 1 ? "" : "s"}`,
      thread.latest,
      ...(thread.reasons || []),
    ].filter(Boolean).join(" · ");
    const fallback = thread.path === "subject";
    const line = el("p", { class: "digest-line", "data-path": thread.path || "" },
      fallback ? el("span", { class: "digest-label" }, "Subject: ") : null,
      thread.summary || "");
    const li = el("li", { class: "digest-thread", "data-index": index, "data-section": thread.section },
      el("strong", { class: "digest-subject" }, subject),
      el("span", { class: "meta" }, meta),
      line,
      thread.path ? el("span", { class: "meta digest-path" }, PATHS[thread.path] || thread.path) : null);
    const asks = thread.asks || [];
    const dated = thread.meetings || [];
    if (asks.length || dated.length) {
      const list = el("ul", { class: "digest-asks", "aria-label": "What it asks of you" });
      for (const ask of asks) {
        list.append(el("li", {}, el("span", { class: "digest-label" }, "Asks: "), ask.text,
          ask.due ? ` (due ${ask.due})` : ""));
      }
      for (const meeting of dated) {
        const what = meeting.kind === "deadline" ? "Deadline: " : "Meeting: ";
        list.append(el("li", {}, el("span", { class: "digest-label" }, what),
          meeting.title || "", meeting.when ? ` — ${meeting.when}` : "",
          meeting.likely === false ? maybeBadge() : null));
      }
      li.append(list);
    }
    const item = thread.item || {};
    if (item.ews_id || item.rest_id) {
      const note = el("span", { class: "meta", role: "status" });
      li.append(el("button", {
        type: "button",
        class: "digest-open",
        "aria-label": `Open “${subject}”`,
        onclick: () => openMessage(item, note),
      }, "Open message"), note);
    }
    return li;
  }

  /* One collapsed line per category, expandable to the subjects it counts. */
  function collapsedLine(line, threads) {
    const subjects = threads.filter((t) => t.section === "collapsed" && t.category === line.category);
    return el("details", { class: "digest-category", "data-category": line.category, "data-count": line.count },
      el("summary", {}, line.label),
      el("ul", { class: "digest-subjects", "aria-label": line.label },
        ...subjects.map((t) => {
          const item = t.item || {};
          const note = el("span", { class: "meta", role: "status" });
          const subject = t.subject || "(no subject)";
          return el("li", {}, el("span", { class: "digest-label" }, "Subject: "), subject,
            item.ews_id || item.rest_id
              ? el("button", {
                type: "button", class: "digest-open", "aria-label": `Open “${subject}”`,
                onclick: () => openMessage(item, note),
              }, "Open")
              : null, note);
        })));
  }

  /* The finished digest job as a card, sections in the digest's order. */
  function render(state) {
    const result = firstResult(state);
    const threads = result.threads || [];
    const counts = result.sections || {};
    const summary = [
      `${result.included ?? result.messages ?? 0} message${result.included === 1 ? "" : "s"} in ${threads.length} thread${threads.length === 1 ? "" : "s"}`,
      result.left_out ? `${result.left_out} more not included` : null,
    ].filter(Boolean).join(" · ");
    const box = el("article", { class: "card digest", id: "digest", "aria-label": "Inbox digest" },
      el("h2", {}, result.title || "Your inbox digest"),
      el("p", { class: "meta", id: "digest-summary" }, summary));
    if (result.empty || !threads.length) {
      box.append(el("p", { class: "draft-text", id: "digest-empty" },
        "No new mail arrived in this period. Nothing needs your attention."));
    }
    for (const section of SECTIONS) {
      const members = threads.filter((t) => t.section === section.name);
      if (!members.length) continue;
      // Threads for the listed sections; messages for the collapsed one, as its lines count.
      const count = section.name === "collapsed"
        ? (result.collapsed || []).reduce((sum, line) => sum + (line.count || 0), 0)
        : counts[section.name] ?? members.length;
      const heading = el("h3", {}, section.title, " ", el("span", { class: "badge" }, String(count)));
      const block = el("section", { class: "digest-section", "data-section": section.name, "aria-label": section.title }, heading);
      if (section.name === "collapsed") {
        block.append(...(result.collapsed || []).map((line) => collapsedLine(line, threads)));
      } else {
        block.append(el("ul", { class: "digest-threads" }, ...members.map((t) => threadLine(t, threads.indexOf(t)))));
      }
      box.append(block);
    }
    const errors = result.errors || [];
    if (errors.length) {
      box.append(el("details", { class: "digest-errors" },
        el("summary", {}, `${errors.length} item(s) could not be read`),
        el("ul", {}, ...errors.map((e) => el("li", {}, `${e.source || e.item || ""}: ${e.error || e.detail || ""}`)))));
    }
    return box;
  }

  /* Sources the server shares with this user (a `digest_sources` job) into the datalist. */
  async function fillSources(list, input) {
    try {
      const state = await runJob("digest_sources", { text: "digest sources" }, {});
      const found = firstResult(state).sources || [];
      list.replaceChildren(...found.map((s) => el("option", { value: s.source }, s.label || s.source)));
      if (!input.value && found.length) input.value = found[0].source;
      return found;
    } catch (err) {
      return []; // an older server: the user types the source
    }
  }

  /* The form, then the digest under it. ctx: { ui, setBusy } from outlook.js. */
  function open(container, ctx) {
    const sourceInput = el("input", {
      type: "text", id: "digest-source", list: "digest-sources", required: true,
      autocomplete: "off", placeholder: "imap://me@mail.example.com/INBOX",
      "aria-describedby": "digest-source-hint",
    });
    sourceInput.value = settings.digestSource();
    const datalist = el("datalist", { id: "digest-sources" });
    const since = el("select", { id: "digest-since" },
      ...SINCE.map((s) => el("option", { value: s.value }, s.label)));
    const output = el("div", { id: "digest-output" });
    const submit = el("button", { type: "submit", class: "primary" }, "Make digest");
    const form = el("form", { class: "card digest-form", id: "digest-form", "aria-label": "Inbox digest" },
      el("h2", {}, "Inbox digest"),
      el("label", { class: "field" }, el("span", {}, "Mailbox or folder"), sourceInput),
      datalist,
      el("p", { class: "hint", id: "digest-source-hint" },
        "A source the server shares with you (an admin sets it up in the server's configuration)."),
      el("label", { class: "field" }, el("span", {}, "Mail from"), since),
      submit);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const source = sourceInput.value.trim();
      if (!source) return;
      ctx.ui.clearError();
      output.replaceChildren();
      submit.disabled = true;
      ctx.setBusy(true);
      try {
        await settings.save({ digestSource: source }).catch(() => undefined);
        const profile = Office.context.mailbox.userProfile;
        const options = { since: since.value };
        if (profile && profile.emailAddress) options.reader = profile.emailAddress;
        ctx.ui.busy("Sending to deskdraft…");
        const state = await runJob("digest", { source }, options, (s) => ctx.ui.progressFrom(s));
        output.append(render(state));
        ctx.ui.idle("Digest ready.");
        const heading = output.querySelector("h2");
        heading.setAttribute("tabindex", "-1");
        heading.focus();
      } catch (err) {
        ctx.ui.error(err);
      } finally {
        submit.disabled = false;
        ctx.setBusy(false);
      }
    });
    container.replaceChildren(form, output);
    fillSources(datalist, sourceInput);
    sourceInput.focus();
    return form;
  }

  window.deskdraftDigest = { open, render, SECTIONS };
})();
