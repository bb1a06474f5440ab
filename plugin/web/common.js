/* deskdraft panes: settings, the bridge client, progress and errors (a draft's tools and
 * check badge: drafttools.js). Plain browser JavaScript (no build step); every pane loads
 * this, then drafttools.js, before its own file. */
"use strict";

(function (global) {
  const KEYS = { server: "deskdraft.server", token: "deskdraft.token", digestSource: "deskdraft.digestSource" };
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
    /* The mailbox or folder of the last digest made in the Outlook pane. */
    digestSource() {
      return readSetting("digestSource").trim();
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

  /* A calendar suggestion the decision is unsure of (below `[calendar] likely_confidence`). */
  function maybeBadge() {
    return el("span", { class: "maybe", title: "Not sure this is an event for you: check the mail." },
      "maybe");
  }

  global.deskdraft = {
    PaneError,
    maybeBadge,
    settings,
    api,
    runJob,
    firstResult,
    problemText,
    el,
    ui,
    setupSettings,
    download,
    fetchJobFile,
  };
})(window);
