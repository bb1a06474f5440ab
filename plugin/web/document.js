/* deskdraft Excel and Word pane: a report from cells (Excel) or a document summary (Word). */
"use strict";

(function () {
  const { el, ui: makeUi, runJob, firstResult, draftTools, verifiedBadge, PaneError } = window.deskdraft;
  const REPORT_SHEET = "deskdraft report";
  let ui;

  function columnLetters(index) {
    let letters = "";
    for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
      letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
    }
    return letters;
  }

  function columnIndex(letters) {
    return [...letters.toUpperCase()].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1;
  }

  /* "Sheet 1'!B3:E20" → { row: 2, col: 1 } (zero-based top-left corner). */
  function rangeStart(address) {
    const ref = address.split("!").pop().replace(/\$/g, "");
    const match = /^([A-Z]+)(\d+)/i.exec(ref);
    return match ? { row: Number(match[2]) - 1, col: columnIndex(match[1]) } : { row: 0, col: 0 };
  }

  async function readCells(scope) {
    return Excel.run(async (context) => {
      const sheet = context.workbook.worksheets.getActiveWorksheet();
      sheet.load("name");
      let range = scope === "used" ? sheet.getUsedRange(true) : context.workbook.getSelectedRange();
      range.load(["address", "values", "numberFormat", "rowCount", "columnCount"]);
      await context.sync();
      if (scope !== "used" && range.rowCount * range.columnCount <= 1) {
        // One selected cell means "this sheet", not a one-cell report.
        range = sheet.getUsedRange(true);
        range.load(["address", "values", "numberFormat", "rowCount", "columnCount"]);
        await context.sync();
      }
      return { sheet: sheet.name, address: range.address, values: range.values, formats: range.numberFormat };
    });
  }

  /* The document sent to the report job: the cells at their real sheet positions, so that
   * the report's row numbers and ranges match what the user sees. Dates arrive as serial
   * numbers; the server reads them as dates from their number formats. */
  function workbookDocument(read) {
    const start = rangeStart(read.address);
    const pad = (rows) => [
      ...Array.from({ length: start.row }, () => []),
      ...rows.map((row) => [...new Array(start.col).fill(null), ...row]),
    ];
    const cells = pad(read.values);
    const ref = read.address.split("!").pop().replace(/\$/g, "");
    return {
      document: {
        kind: "xlsx",
        source: `excel:${read.address}`,
        title: read.sheet,
        text: "",
        sheets: [{ name: read.sheet, cells, number_formats: pad(read.formats) }],
        metadata: { range: ref },
      },
      ref,
    };
  }

  async function uniqueSheetName(context) {
    const sheets = context.workbook.worksheets;
    sheets.load("items/name");
    await context.sync();
    const taken = new Set(sheets.items.map((s) => s.name.toLowerCase()));
    let name = REPORT_SHEET;
    for (let n = 2; taken.has(name.toLowerCase()); n += 1) name = `${REPORT_SHEET} ${n}`;
    return name;
  }

  const CHART_TYPES = { bar: "ColumnClustered", line: "Line" };

  /* The report's own sheet layout (``sheet`` rows from A1 and the ``chart`` ranges), the
   * same as in the .xlsx report; built here only when the server did not send one. */
  function reportRows(result) {
    if (Array.isArray(result.sheet) && result.sheet.length) return { rows: result.sheet, chart: result.chart };
    const rows = [[result.title || "Report"], [], ["Summary"], [result.summary || ""], [], ["Finding", "Table", "Detail"]];
    for (const f of result.findings || []) rows.push([f.kind, f.table, f.text]);
    let chart = null;
    for (const table of result.tables || []) {
      rows.push([], [table.title], table.header);
      const header = rows.length;
      rows.push(...table.rows);
      if (table.chart && !chart && table.rows.length) {
        chart = { type: CHART_TYPES[table.chart.type] || "ColumnClustered", title: table.chart.title,
          range: `A${header}:B${rows.length}` };
      }
    }
    const width = Math.max(...rows.map((r) => r.length));
    return { rows: rows.map((r) => [...r, ...new Array(width - r.length).fill("")]), chart };
  }

  /* Blocks to turn into Excel tables: a header row (after a title row or the findings
   * heading) down to the next empty row. */
  function tableBlocks(rows, result) {
    const blank = (row) => !row || row.every((v) => v === "" || v === null);
    const starts = [];
    rows.forEach((row, index) => {
      if (row[0] === "Finding" && row[1] === "Table") starts.push(index);
      for (const table of result.tables || []) {
        if (index > 0 && rows[index - 1][0] === table.title && row[0] === table.header[0]) starts.push(index);
      }
    });
    return [...new Set(starts)].map((first) => {
      let last = first;
      while (last + 1 < rows.length && !blank(rows[last + 1])) last += 1;
      const width = rows[first].filter((v) => v !== "" && v !== null).length;
      return { first: first + 1, last: last + 1, width };
    }).filter((block) => block.last > block.first);
  }

  /* Write the report into a new worksheet: its rows, an Excel table per block and the
   * native chart the report asks for. */
  async function writeReportSheet(result) {
    const { rows, chart: chartSpec } = reportRows(result);
    return Excel.run(async (context) => {
      const name = await uniqueSheetName(context);
      const sheet = context.workbook.worksheets.add(name);
      const width = rows[0].length;
      sheet.getRange(`A1:${columnLetters(width - 1)}${rows.length}`).values =
        rows.map((r) => r.map((v) => (v === null || v === undefined ? "" : v)));
      const title = sheet.getRange("A1");
      title.format.font.bold = true;
      title.format.font.size = 14;
      const blocks = tableBlocks(rows, result);
      for (const block of blocks) {
        sheet.tables.add(`'${name}'!A${block.first}:${columnLetters(block.width - 1)}${block.last}`, true);
      }
      let charts = 0;
      if (chartSpec && chartSpec.range) {
        const chart = sheet.charts.add(chartSpec.type || "ColumnClustered", sheet.getRange(chartSpec.range), "Columns");
        chart.title.text = chartSpec.title || "";
        chart.setPosition(`${columnLetters(width + 1)}2`);
        charts += 1;
      }
      sheet.activate();
      await context.sync();
      return { name, charts, tables: blocks.length };
    });
  }

  function findingsTable(result) {
    const list = el("ul", { "aria-label": "Findings" });
    for (const finding of result.findings || []) list.append(el("li", {}, finding.text));
    return list;
  }

  async function generateReport() {
    const result = document.getElementById("result");
    const button = document.getElementById("report-button");
    ui.clearError();
    result.replaceChildren();
    button.disabled = true;
    try {
      ui.busy("Reading the cells…");
      const scope = document.querySelector("input[name=scope]:checked").value;
      const read = await readCells(scope);
      if (!read.values.length || !read.values[0].length) throw new PaneError("office", "The sheet is empty: select a table first.");
      const { document: doc, ref } = workbookDocument(read);
      ui.busy("Sending to deskdraft…");
      const state = await runJob("report", { document: doc }, { sheet: read.sheet, range: ref, formats: ["docx"] },
        (s) => ui.progressFrom(s));
      const report = firstResult(state);
      ui.busy("Writing the report sheet…");
      const written = await writeReportSheet(report);
      const text = el("p", { class: "draft-text" }, report.summary || report.title || "");
      const box = el("article", { class: "card", "aria-label": "Report" },
        el("h2", {}, report.title || "Report", " ", verifiedBadge(report)), text,
        el("p", { class: "meta", id: "report-sheet-note" },
          `Written to the sheet “${written.name}”: ${written.tables} table(s), ${written.charts} chart(s).`),
        findingsTable(report));
      const files = report.files || {};
      const extra = [];
      if (files.docx) {
        extra.push({
          label: "Download report (.docx)",
          run: async (_text, note) => {
            try {
              const blob = await window.deskdraft.fetchJobFile(state.id, "docx");
              window.deskdraft.download(`${read.sheet} report.docx`, blob);
              note.textContent = "Downloaded the .docx report.";
            } catch (err) {
              note.textContent = err.message;
            }
          },
        });
      }
      result.append(box);
      draftTools(box, { jobId: state.id, kind: "report", textNode: text, extra });
      ui.idle("Report ready.");
    } catch (err) {
      ui.error(err);
    } finally {
      button.disabled = false;
    }
  }

  async function readWordDocument() {
    return Word.run(async (context) => {
      const body = context.document.body;
      body.load("text");
      await context.sync();
      return body.text.replace(/\r\n?/g, "\n");
    });
  }

  /* Select the key point's source sentence in the document itself. */
  async function selectInDocument(fragment) {
    if (!fragment) return;
    await Word.run(async (context) => {
      const hits = context.document.body.search(fragment.slice(0, 250), { matchCase: true });
      hits.load("items");
      await context.sync();
      if (hits.items.length) hits.items[0].select();
      await context.sync();
    });
  }

  async function summarizeDocument() {
    const result = document.getElementById("result");
    const button = document.getElementById("summarize-button");
    ui.clearError();
    result.replaceChildren();
    button.disabled = true;
    try {
      ui.busy("Reading the document…");
      const text = await readWordDocument();
      if (!text.trim()) throw new PaneError("office", "The document is empty.");
      const doc = { kind: "docx", source: "word:document", title: text.trim().split("\n")[0].slice(0, 120), text };
      ui.busy("Sending to deskdraft…");
      const state = await runJob("summarize", { document: doc }, {}, (s) => ui.progressFrom(s));
      const summary = firstResult(state);
      const node = el("p", { class: "draft-text" }, summary.summary || summary.text || "");
      const box = el("article", { class: "card", "aria-label": "Summary" },
        el("h2", {}, "Summary ", verifiedBadge(summary)), node);
      const points = el("ul", { class: "key-points", "aria-label": "Key points: choose one to select its source" });
      for (const point of summary.key_points || []) {
        const span = (point.sources || [])[0];
        const fragment = span ? text.slice(span.start, span.end).split("\n")[0].trim() : "";
        const show = () => selectInDocument(fragment).catch((err) => ui.error(err));
        points.append(el("li", {
          tabindex: "0", onclick: show,
          onkeydown: (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); show(); } },
        }, point.text));
      }
      if (points.children.length) box.append(el("h2", {}, "Key points"), points);
      result.append(box);
      draftTools(box, {
        jobId: state.id, kind: "summarize", textNode: node,
        extra: [{
          label: "Insert at cursor",
          run: (value, note) => Word.run(async (context) => {
            context.document.getSelection().insertText(value, "After");
            await context.sync();
            note.textContent = "Inserted into the document.";
          }).catch((err) => { note.textContent = err.message; }),
        }],
      });
      ui.idle("Summary ready.");
    } catch (err) {
      ui.error(err);
    } finally {
      button.disabled = false;
    }
  }

  function start(info) {
    ui = makeUi();
    window.deskdraft.setupSettings();
    const host = (info && info.host) || (Office.context && Office.context.host);
    const isExcel = host === Office.HostType.Excel;
    const isWord = host === Office.HostType.Word;
    document.getElementById("excel-panel").hidden = !isExcel;
    document.getElementById("word-panel").hidden = !isWord;
    document.getElementById("report-button").addEventListener("click", generateReport);
    document.getElementById("summarize-button").addEventListener("click", summarizeDocument);
    if (!isExcel && !isWord) {
      ui.error(new PaneError("office", "Open this pane from Excel or Word."));
      return;
    }
    const action = new URLSearchParams(window.location.search).get("action");
    if (action === "report" && isExcel) generateReport();
    if (action === "summarize" && isWord) summarizeDocument();
  }

  Office.onReady((info) => start(info));
  window.deskdraftDocument = { columnLetters, rangeStart, workbookDocument };
})();
