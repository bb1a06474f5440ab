/* deskdraft panes: what every draft card offers. Thumbs up/down, "Edit" then "Save" and
 * "Copy" (with the edited text as feedback to the bridge), and the badge that says how
 * the draft was checked. Loaded after common.js, whose bridge client and element helper it
 * uses; it adds draftTools, verifiedBadge, badgeState and copyText to window.deskdraft. */
"use strict";

(function (global) {
  const { api, el } = global.deskdraft;

  async function copyText(text) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (e) {
      // Office webviews may block the async clipboard; a selected textarea still copies.
      const area = el("textarea", { "aria-hidden": "true", class: "visually-hidden" });
      area.value = text;
      document.body.append(area);
      area.select();
      const ok = document.execCommand && document.execCommand("copy");
      area.remove();
      return Boolean(ok);
    }
  }

  /* Thumbs up/down, "Edit" then "Save", "Copy" and any pane-specific buttons for a draft.
   * textNode holds the draft text; feedback goes to POST /feedback with the edited text. */
  function draftTools(card, { jobId, textNode, draftIndex = 0, extra = [] }) {
    const note = el("p", { class: "feedback-note", role: "status", "aria-live": "polite" });
    let rating = 0;
    let editor = null;
    const send = async () => {
      try {
        await api("/feedback", {
          method: "POST",
          body: {
            job_id: jobId,
            // The bridge rates 1 (useless) to 5 (used as is); an edit without a thumb
            // means "used after changes".
            rating: rating || 4,
            draft_index: draftIndex,
            edited_text: textNode.textContent,
          },
        });
        note.textContent = "Thanks, your feedback was saved.";
        note.dataset.sent = "true";
      } catch (err) {
        note.textContent = err.message;
        note.dataset.sent = "false";
      }
    };
    // Drawn, not emoji: Office webviews on Linux and some Windows images lack an emoji font.
    const thumbIcon = (down) => {
      const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      svg.setAttribute("viewBox", "0 0 24 24");
      svg.setAttribute("width", "18");
      svg.setAttribute("height", "18");
      svg.setAttribute("aria-hidden", "true");
      if (down) svg.setAttribute("transform", "rotate(180)");
      const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
      path.setAttribute("fill", "currentColor");
      path.setAttribute("d", "M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3a1.5 1.5 0 0 0-.5-1L13.1 1 6.6 7.6A2 2 0 0 0 6 9v10a2 2 0 0 0 2 2h9a2 2 0 0 0 1.8-1.2l3-7.1.2-.7v-2z");
      svg.append(path);
      return svg;
    };
    const thumb = (value, label, symbol) =>
      el("button", {
        type: "button",
        class: "thumb",
        "aria-label": label,
        "aria-pressed": "false",
        "data-rating": value,
        onclick: (event) => {
          rating = value;
          for (const b of card.querySelectorAll("button.thumb")) {
            b.setAttribute("aria-pressed", String(b === event.currentTarget));
          }
          send();
        },
      }, symbol);
    const editButton = el("button", {
      type: "button",
      "aria-label": "Edit the draft",
      onclick: () => {
        if (editor) {
          textNode.textContent = editor.value;
          editor.replaceWith(textNode);
          editor = null;
          editButton.textContent = "Edit";
          editButton.setAttribute("aria-label", "Edit the draft");
          send();
          editButton.focus();
          return;
        }
        editor = el("textarea", { "aria-label": "Edited draft text" });
        editor.value = textNode.textContent;
        textNode.replaceWith(editor);
        editButton.textContent = "Save";
        editButton.setAttribute("aria-label", "Save the edited draft");
        editor.focus();
      },
    }, "Edit");
    const copyButton = el("button", {
      type: "button",
      "aria-label": "Copy the draft",
      onclick: async () => {
        const text = editor ? editor.value : textNode.textContent;
        note.textContent = (await copyText(text)) ? "Copied." : "Copy is blocked here; select the text instead.";
      },
    }, "Copy");
    const tools = el("div", { class: "draft-tools", role: "group", "aria-label": "Draft actions" },
      thumb(5, "Good draft", thumbIcon(false)), thumb(1, "Poor draft", thumbIcon(true)), editButton, copyButton,
      ...extra.map((spec) => el("button", {
        type: "button",
        "aria-label": spec.label,
        onclick: () => spec.run(editor ? editor.value : textNode.textContent, note),
      }, spec.text || spec.label)));
    card.append(tools, note);
  }

  /* What was checked and how. Only a draft whose every sentence was checked claim by claim
     (quoted, or a checked compression) gets the green badge; a lighter check (a subject
     line's words from one sentence) says what it was, and anything else says "not checked". */
  const CLAIM_CHECKED = new Set(["quoted", "reworded"]);
  function badgeState(result) {
    if (!result || result.verified === undefined) return null;
    const check = result.check;
    if (check && typeof check.label === "string") {
      if (result.verified && CLAIM_CHECKED.has(check.method)) {
        return { ok: true, text: check.label, title: "Every sentence was checked against the mail" };
      }
      if (result.verified && check.method && check.method !== "none") {
        return { ok: false, text: check.label, title: "Only the words and their source were checked, not each claim" };
      }
      return { ok: false, text: "not checked", title: "This text could not be checked against the source" };
    }
    return result.verified
      ? { ok: false, text: "names and numbers checked", title: "Names, dates and numbers were checked against the source; the wording was not" }
      : { ok: false, text: "not checked", title: "Could not check every fact against the source" };
  }

  function verifiedBadge(result) {
    const state = badgeState(result);
    if (!state) return null;
    return el("span", { class: state.ok ? "badge ok" : "badge", title: state.title }, state.text);
  }

  Object.assign(global.deskdraft, { draftTools, verifiedBadge, badgeState, copyText });
})(window);
