/* deskdraft panes: settings, the bridge client, progress, errors and draft feedback.
 * Plain browser JavaScript (no build step); every pane loads this before its own file. */
"use strict";

(function (global) {
  const KEYS = { server: "deskdraft.server", token: "deskdraft.token" };
  const REQUEST_TIMEOUT_MS = 20000;

  class PaneError extends Error {
    constructor(code, message) {
      super(message);
      this.code = code; // unreachable | token | auth | failed | http | office
    }
  }

  function roamingSettings() {
    // Outlook keeps these per mailbox, so the pane is set up once for every device.
    try {
      return (global.Office && Office.context && Office.context.roamingSettings) || null;
    } catch (e) {
      return null;
    }
  }

  function readSetting(name) {
    const roaming = roamingSettings();
    const value = roaming ? roaming.get(KEYS[name]) : null;
    if (value) return String(value);
    try {
      return global.localStorage.getItem(KEYS[name]) || "";
    } catch (e) {
      return "";
    }
  }

  const settings = {
    server() {
      const stored = readSetting("server").trim();
      if (stored) return stored.replace(/\/+$/, "");
      // Served by the bridge itself: the API is on the same origin.
      return /^https?:$/.test(global.location.protocol) ? global.location.origin : "";
    },
    token() {
      return readSetting("token").trim();
    },
    async save(values) {
      const roaming = roamingSettings();
      for (const [name, value] of Object.entries(values)) {
        try {
          if (value) global.localStorage.setItem(KEYS[name], value);
          else global.localStorage.removeItem(KEYS[name]);
        } catch (e) {
          /* storage may be disabled; roaming settings still work in Outlook */
        }
        if (roaming) {
          if (value) roaming.set(KEYS[name], value);
          else roaming.remove(KEYS[name]);
        }
      }
      if (roaming) {
        await new Promise((resolve, reject) =>
          roaming.saveAsync((result) =>
            result.status === "failed"
              ? reject(new PaneError("office", "Outlook could not save the settings."))
              : resolve()
          )
        );
      }
    },
  };

  function problemText(problem) {
    if (!problem) return "";
    if (typeof problem === "string") return problem;
    return problem.detail || problem.message || problem.title || JSON.stringify(problem);
  }

  async function api(path, options = {}) {
    const server = settings.server();
    const token = settings.token();
    if (!server) {
      throw new PaneError("unreachable", "No server address is set. Open Settings and enter it.");
    }
    if (!token) {
      throw new PaneError(
        "token",
        "No access token is set. Run “deskdraft token” on the server, then paste the token " +
          "in Settings."
      );
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    let response;
    try {
      response = await fetch(server + "/api/v1" + path, {
        method: options.method || "GET",
        headers: {
          Authorization: "Bearer " + token,
          Accept: "application/json",
          ...(options.body !== undefined ? { "Content-Type": "application/json" } : {}),
        },
        body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
        cache: "no-store",
        signal: controller.signal,
      });
    } catch (e) {
      throw new PaneError(
        "unreachable",
        `Cannot reach the deskdraft server at ${server}. Check that it is running ` +
          "(“deskdraft serve”) and that the address in Settings is right."
      );
    } finally {
      clearTimeout(timer);
    }
    let data = null;
    try {
      data = await response.json();
    } catch (e) {
      data = null;
    }
    if (response.status === 401 || response.status === 403) {
      throw new PaneError(
        "auth",
        `The server at ${server} refused the access token. Run “deskdraft token” on the ` +
          "server and paste the current token in Settings."
      );
    }
    if (!response.ok) {
      const detail = problemText(data) || response.statusText;
      throw new PaneError("http", `The server answered ${response.status}: ${detail}`);
    }
    return data;
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  /* Submit a job and poll it until it ends; onProgress gets every status record. */
  async function runJob(kind, input, options, onProgress) {
    const job = await api("/jobs", {
      method: "POST",
      body: { kind, input, options: options || {}, priority: "interactive" },
    });
    let delay = 300;
    for (;;) {
      const state = await api("/jobs/" + encodeURIComponent(job.id));
      if (onProgress) onProgress(state);
      if (state.status === "done") return state;
      if (state.status === "failed") {
        throw new PaneError(
          "failed",
          `The ${kind.replace(/_/g, " ")} job failed: ${problemText(state.error) || "no reason given"}`
        );
      }
      if (state.status === "cancelled") {
        throw new PaneError("failed", `The ${kind.replace(/_/g, " ")} job was cancelled.`);
      }
      await sleep(delay);
      delay = Math.min(delay * 1.5, 2000);
    }
  }

  /* A job's result for one input: the worker answers a list for several inputs. */
  function firstResult(state) {
    const result = state && state.result;
    return Array.isArray(result) ? result[0] || {} : result || {};
  }

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children) {
      if (child !== null && child !== undefined) {
        node.append(child instanceof Node ? child : String(child));
      }
    }
    return node;
  }

  /* The status line, the error box and the settings form every pane has. */
  function ui() {
    const status = document.getElementById("status");
    const statusText = document.getElementById("status-text");
    const progress = document.getElementById("progress");
    const errorBox = document.getElementById("error");
    return {
      busy(text, fraction) {
        status.hidden = false;
        statusText.textContent = text;
        if (typeof fraction === "number" && fraction > 0) progress.value = fraction;
        else progress.removeAttribute("value"); // indeterminate
      },
      idle(text) {
        statusText.textContent = text || "";
        progress.value = 1;
        status.hidden = !text;
      },
      error(err) {
        const message = err instanceof PaneError ? err.message : `Something went wrong: ${err.message || err}`;
        errorBox.textContent = message;
        errorBox.dataset.code = err.code || "other";
        errorBox.hidden = false;
        status.hidden = true;
      },
      clearError() {
        errorBox.hidden = true;
        errorBox.textContent = "";
      },
      progressFrom(state) {
        const words = { queued: "Waiting in the queue…", running: "Drafting…" };
        const text = state.message || words[state.status] || state.status;
        this.busy(text, typeof state.progress === "number" ? state.progress : undefined);
      },
    };
  }

  function setupSettings() {
    const panel = document.getElementById("settings");
    const toggle = document.getElementById("settings-toggle");
    const serverInput = document.getElementById("setting-server");
    const tokenInput = document.getElementById("setting-token");
    const note = document.getElementById("settings-note");
    const open = (show) => {
      panel.hidden = !show;
      toggle.setAttribute("aria-expanded", String(show));
      if (show) {
        serverInput.value = settings.server();
        tokenInput.value = settings.token();
        serverInput.focus();
      }
    };
    toggle.addEventListener("click", () => open(panel.hidden));
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        open(false);
        toggle.focus();
      }
    });
    document.getElementById("settings-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await settings.save({ server: serverInput.value.trim(), token: tokenInput.value.trim() });
        note.textContent = "Saved.";
      } catch (err) {
        note.textContent = err.message;
      }
    });
    if (!settings.token()) open(true);
  }

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

  /* Download bytes or text as a file the user can save (fallback when Office APIs are absent). */
  function download(filename, blob) {
    const url = URL.createObjectURL(blob);
    const link = el("a", { href: url, download: filename, class: "visually-hidden" }, filename);
    document.body.append(link);
    link.click();
    setTimeout(() => {
      URL.revokeObjectURL(url);
      link.remove();
    }, 1000);
  }

  async function fetchJobFile(jobId, name) {
    const server = settings.server();
    let response;
    try {
      response = await fetch(
        `${server}/api/v1/jobs/${encodeURIComponent(jobId)}/files/${encodeURIComponent(name)}`,
        { headers: { Authorization: "Bearer " + settings.token() }, cache: "no-store" }
      );
    } catch (e) {
      throw new PaneError("unreachable", `Cannot reach the deskdraft server at ${server}.`);
    }
    if (!response.ok) throw new PaneError("http", `The server answered ${response.status} for the ${name} file.`);
    return response.blob();
  }

  global.deskdraft = {
    PaneError,
    settings,
    api,
    runJob,
    firstResult,
    problemText,
    el,
    ui,
    setupSettings,
    draftTools,
    verifiedBadge,
    badgeState,
    copyText,
    download,
    fetchJobFile,
  };
})(window);
