/* deskdraft Outlook pane: the "Draft reply" card. The reply job's result (plan, intents,
 * attributions, html) is shown with intent chips, placeholders highlighted and the sources
 * of each sentence on hover; "Open as reply" / "Reply all" hand the HTML to Outlook, and in
 * compose mode the draft is inserted at the cursor. */
"use strict";

(function () {
  const { el, firstResult, draftTools, verifiedBadge } = window.deskdraft;
  const PLACEHOLDER = /\[(?:Answer|Add)[^\]]*\]/g;
  const ORIGIN = {
    mail: "From the e-mail",
    calendar: "From your calendar",
    intent: "From your answer",
    profile: "From your profile",
  };

  /* Text with its placeholders wrapped in <mark class="placeholder">. */
  function withPlaceholders(text) {
    const parts = [];
    let last = 0;
    for (const match of text.matchAll(PLACEHOLDER)) {
      parts.push(text.slice(last, match.index));
      parts.push(el("mark", { class: "placeholder", title: "Fill this in before sending" }, match[0]));
      last = match.index + match[0].length;
    }
    parts.push(text.slice(last));
    return parts.filter((part) => part !== "");
  }

  function describeSources(sources) {
    const kinds = [...new Set((sources || []).map((s) => ORIGIN[s.from] || s.from))];
    return kinds.length ? kinds.join(" · ") : "Wording only";
  }

  const escapeHtml = (text) => text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));

  /* The HTML Outlook gets: the job's own unless the user edited the text in the pane. */
  function htmlFor(result, text) {
    if (text.trim() === (result.reply || "").trim()) return result.html;
    return text.split(/\n{2,}/).map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`).join("");
  }

  /* The reply, sentence by sentence: hovering or focusing one shows where it comes from. */
  function draftNode(result, highlight) {
    const node = el("div", { class: "draft-text reply-text", id: "reply-text" });
    const entries = result.attributions || [];
    const greeting = entries.filter((e) => e.role === "greeting");
    const closing = entries.filter((e) => e.role === "sign_off" || e.role === "name");
    const body = entries.filter((e) => !greeting.includes(e) && !closing.includes(e));
    const sentence = (entry) => {
      const mailSource = (entry.sources || []).find((s) => s.from === "mail" && s.end > s.start);
      const show = () => highlight(mailSource || null);
      return el("span", {
        class: `reply-sentence role-${entry.role}`,
        tabindex: "0",
        title: describeSources(entry.sources),
        "data-sources": describeSources(entry.sources),
        onmouseenter: show,
        onfocus: show,
      }, ...withPlaceholders(entry.text));
    };
    const join = (list, separator) => list.flatMap((e, i) => (i ? [separator, sentence(e)] : [sentence(e)]));
    node.append(...join(greeting, " "), "\n\n", ...join(body, " "), "\n\n", ...join(closing, "\n"));
    return node;
  }

  function chips(result, redraft) {
    const group = el("div", { class: "intent-chips", role: "group", "aria-label": "What do you want to answer?" });
    for (const intent of result.intents || []) {
      const chosen = result.plan && result.plan.intent && (
        result.plan.intent.kind === intent.kind && (intent.kind !== "later" || result.plan.intent.text === intent.value.slice(6)));
      group.append(el("button", {
        type: "button",
        class: "chip",
        "aria-pressed": String(Boolean(chosen)),
        "data-intent": intent.value,
        onclick: () => redraft(intent.value),
      }, intent.label));
    }
    const input = el("input", { type: "text", id: "reply-intent", "aria-label": "Your answer in your own words", placeholder: "Or say it in a few words…" });
    const form = el("form", {
      class: "intent-free",
      onsubmit: (event) => {
        event.preventDefault();
        if (input.value.trim()) redraft(input.value.trim());
      },
    }, input, el("button", { type: "submit" }, "Redraft"));
    return [group, form];
  }

  /* state: the finished job; ctx: { compose, highlight, redraft } from outlook.js. */
  function render(state, ctx) {
    const result = firstResult(state);
    const text = draftNode(result, ctx.highlight);
    const box = el("article", { class: "card reply-card", "aria-label": "Reply draft" },
      el("h2", {}, "Reply draft", " ", verifiedBadge(result)), ...chips(result, ctx.redraft), text);
    const open = (form) => (draft, note) => {
      const item = Office.context.mailbox.item;
      item[form](htmlFor(result, draft));
      note.textContent = form === "displayReplyAllForm" ? "Opened a reply to all with the draft." : "Opened a reply with the draft.";
    };
    const insert = (draft, note) => {
      Office.context.mailbox.item.body.setSelectedDataAsync(htmlFor(result, draft), { coercionType: Office.CoercionType.Html }, (res) => {
        note.textContent = res.status === Office.AsyncResultStatus.Failed
          ? `Outlook could not insert the draft: ${res.error.message}`
          : "Inserted at the cursor.";
      });
    };
    const extra = ctx.compose
      ? [{ label: "Insert at cursor", run: insert }]
      : [{ label: "Open as reply", run: open("displayReplyForm") }, { label: "Reply all", run: open("displayReplyAllForm") }];
    const notes = (result.notes || []).map((note) => el("li", {}, note));
    const placeholders = (result.placeholders || []).length;
    box.append(el("p", { class: "meta", id: "reply-status" }, placeholders
      ? `${placeholders} part(s) marked for you to fill in.`
      : "Nothing left to fill in."));
    if (notes.length) box.append(el("ul", { class: "reply-notes", "aria-label": "Notes" }, ...notes));
    draftTools(box, { jobId: state.id, kind: "reply", textNode: text, extra });
    return box;
  }

  /* The reply job's options: the chosen intent, and the user whose voice profile to use. */
  function jobOptions(extra) {
    const profile = Office.context.mailbox.userProfile;
    const options = extra.intent ? { intent: extra.intent } : {};
    if (profile && profile.emailAddress) options.user = profile.emailAddress;
    return options;
  }

  window.deskdraftReply = { render, htmlFor, withPlaceholders, jobOptions };
})();
