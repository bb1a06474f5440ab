/* A stand-in for Microsoft's office.js with just the calls the deskdraft panes use, over a
 * fake mailbox item, a fake workbook and a fake Word document. The test sets
 * window.__FAKE_OFFICE__ = { host, item, workbook, word } before the page loads and reads
 * what the pane did from window.__officeLog and window.__fakeWorkbook. */
"use strict";

(function () {
  const config = window.__FAKE_OFFICE__ || {};
  const log = (window.__officeLog = []);
  const ok = (value) => ({ status: "succeeded", value });
  const later = (fn) => setTimeout(fn, 5);

  function roamingSettings() {
    const store = {};
    return {
      get: (name) => (name in store ? store[name] : null),
      set: (name, value) => { store[name] = value; },
      remove: (name) => { delete store[name]; },
      saveAsync: (cb) => { log.push({ call: "roamingSettings.saveAsync", values: { ...store } }); later(() => cb && cb(ok())); },
    };
  }

  function mailItem(spec) {
    if (!spec) return null;
    const compose = Boolean(spec.compose);
    const item = {
      itemType: "message",
      itemId: spec.itemId || "AAMkFakeItem",
      conversationId: spec.conversationId || "AAQkFakeConversation",
      internetMessageId: spec.internetMessageId || null,
      dateTimeCreated: new Date(spec.dateTimeCreated),
      body: {
        getAsync: (coercion, cb) => {
          log.push({ call: "body.getAsync", coercion });
          later(() => cb(ok(spec.body)));
        },
        setSelectedDataAsync: (text, options, cb) => {
          log.push({ call: "body.setSelectedDataAsync", text });
          later(() => cb && cb(ok()));
        },
      },
      attachments: compose ? undefined : (spec.attachments || []).map((a) => ({ ...a, isInline: false })),
      getAttachmentContentAsync: (id, cb) => {
        const found = (spec.attachments || []).find((a) => a.id === id);
        log.push({ call: "getAttachmentContentAsync", id });
        later(() => cb(found ? ok({ format: found.format, content: found.content })
          : { status: "failed", error: { message: "no such attachment" } }));
      },
      getAllInternetHeadersAsync: (cb) => later(() => cb(ok(spec.headers || ""))),
      displayReplyForm: (text) => log.push({ call: "displayReplyForm", text }),
      displayReplyAllForm: (text) => log.push({ call: "displayReplyAllForm", text }),
    };
    if (compose) {
      item.subject = { getAsync: (cb) => later(() => cb(ok(spec.subject))) };
      item.getAttachmentsAsync = (cb) => later(() => cb(ok([])));
    } else {
      item.subject = spec.subject;
      item.from = spec.from;
      item.sender = spec.from;
      item.to = spec.to || [];
    }
    return item;
  }

  /* ---- Excel ---- */
  const letters = (ref) => ref.replace(/\$/g, "").toUpperCase();
  const colIndex = (s) => [...s].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1;
  const colName = (i) => { let s = ""; for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s; return s; };
  function parseRange(address) {
    const ref = letters(address.split("!").pop());
    const [a, b] = ref.split(":");
    const cell = (part) => {
      const m = /^([A-Z]*)(\d*)$/.exec(part);
      return { col: m[1] ? colIndex(m[1]) : 0, row: m[2] ? Number(m[2]) - 1 : 0, wholeCol: !m[2] };
    };
    const start = cell(a);
    const end = b ? cell(b) : start;
    return { r0: start.row, c0: start.col, r1: end.wholeCol ? 1048575 : end.row, c1: end.col };
  }

  function makeSheet(name, cells, formats) {
    const sheet = { name, cells: cells || [], formats: formats || [], tables: [], charts: [], formatting: [] };
    sheet.api = {
      name,
      load: () => sheet.api,
      getRange: (address) => rangeApi(sheet, parseRange(address)),
      getUsedRange: () => {
        const rows = sheet.cells.length;
        const cols = Math.max(0, ...sheet.cells.map((r) => r.length));
        return rangeApi(sheet, { r0: 0, c0: 0, r1: rows - 1, c1: cols - 1 });
      },
      tables: { add: (address, headers) => { sheet.tables.push({ address, headers }); return {}; } },
      charts: {
        add: (type, range, seriesBy) => {
          const chart = { type, source: range.__address, seriesBy, title: { text: "" }, position: null };
          sheet.charts.push(chart);
          return { title: chart.title, setPosition: (cell) => { chart.position = cell; } };
        },
      },
      activate: () => { workbook.active = sheet; },
    };
    return sheet;
  }

  function rangeApi(sheet, box) {
    const address = `${sheet.name}!${colName(box.c0)}${box.r0 + 1}:${colName(box.c1)}${box.r1 + 1}`;
    const grid = (source) => {
      const out = [];
      for (let r = box.r0; r <= box.r1; r += 1) {
        const row = [];
        for (let c = box.c0; c <= box.c1; c += 1) {
          const v = (source[r] || [])[c];
          row.push(v === undefined || v === null ? (source === sheet.formats ? "General" : "") : v);
        }
        out.push(row);
      }
      return out;
    };
    const font = {};
    const format = { font };
    sheet.formatting.push({ address, format });
    return {
      __address: address,
      address,
      rowCount: box.r1 - box.r0 + 1,
      columnCount: box.c1 - box.c0 + 1,
      load() { return this; },
      get values() { return grid(sheet.cells); },
      set values(rows) {
        rows.forEach((row, r) => row.forEach((value, c) => {
          const rr = box.r0 + r;
          while (sheet.cells.length <= rr) sheet.cells.push([]);
          sheet.cells[rr][box.c0 + c] = value;
        }));
      },
      get numberFormat() { return grid(sheet.formats); },
      format,
    };
  }

  const workbook = (window.__fakeWorkbook = { sheets: [], active: null, selection: null });
  for (const spec of (config.workbook && config.workbook.sheets) || []) {
    workbook.sheets.push(makeSheet(spec.name, spec.cells, spec.formats));
  }
  workbook.active = workbook.sheets[0] || null;
  workbook.selection = config.workbook && config.workbook.selection;

  const excelContext = () => ({
    workbook: {
      worksheets: {
        items: [],
        getActiveWorksheet: () => workbook.active.api,
        add: (name) => {
          const sheet = makeSheet(name);
          workbook.sheets.push(sheet);
          log.push({ call: "worksheets.add", name });
          return sheet.api;
        },
        load() { this.items = workbook.sheets.map((s) => ({ name: s.name })); return this; },
      },
      getSelectedRange: () => rangeApi(workbook.active, parseRange(workbook.selection || "A1")),
    },
    sync: () => new Promise((resolve) => later(resolve)),
  });

  /* ---- Word ---- */
  const wordContext = () => {
    const text = (config.word && config.word.text) || "";
    return {
      document: {
        body: {
          text,
          load() { return this; },
          search: (fragment) => ({
            items: text.includes(fragment) ? [{ select: () => log.push({ call: "word.select", fragment }) }] : [],
            load() { return this; },
          }),
        },
        getSelection: () => ({ insertText: (value, where) => log.push({ call: "word.insertText", value, where }) }),
      },
      sync: () => new Promise((resolve) => later(resolve)),
    };
  };

  const host = config.host || "Outlook";
  window.Office = {
    HostType: { Outlook: "Outlook", Excel: "Excel", Word: "Word" },
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    CoercionType: { Text: "text", Html: "html" },
    MailboxEnums: { RestVersion: { v1_0: "v1.0", v2_0: "v2.0", Beta: "beta" } },
    context: {
      host,
      roamingSettings: host === "Outlook" ? roamingSettings() : undefined,
      mailbox: host === "Outlook" ? {
        item: mailItem(config.item),
        userProfile: config.userProfile || null,
        displayMessageForm: (itemId) => log.push({ call: "displayMessageForm", itemId }),
        // The real one converts a REST id to the EWS format; a marked copy shows it was called.
        convertToEwsId: (id, version) => `ews(${version}):${id}`,
        displayNewAppointmentForm: (params) => log.push({
          call: "displayNewAppointmentForm",
          ...params,
          start: params.start.toISOString(),
          end: params.end.toISOString(),
        }),
      } : undefined,
    },
    onReady(callback) {
      const info = { host, platform: "OfficeOnline" };
      const fire = () => callback && callback(info);
      if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fire);
      else later(fire);
      return Promise.resolve(info);
    },
  };
  window.Excel = { run: async (fn) => fn(excelContext()) };
  window.Word = { run: async (fn) => fn(wordContext()) };
})();
