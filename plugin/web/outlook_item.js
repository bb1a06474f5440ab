/* deskdraft Outlook pane: the open e-mail read through Office.js into the job document
 * (subject, body split from its quoted history, the Date header in the sender's zone,
 * recipients, and the text of its attachments). Loaded before outlook.js. */
"use strict";

(function () {
  const { PaneError } = window.deskdraft;
  const ATTACHMENT_TEXT_LIMIT = 200000; // characters of one attachment sent along
  const TEXT_TYPES = /^(text\/|message\/rfc822|application\/(json|xml|ics))/i;

  const call = (fn) =>
    new Promise((resolve, reject) =>
      fn((result) =>
        result.status === Office.AsyncResultStatus.Failed
          ? reject(new PaneError("office", `Outlook could not read the e-mail: ${result.error && result.error.message}`))
          : resolve(result.value)
      )
    );

  /* "Tue, 10 Aug 2004 09:15:00 -0700" → "2004-08-10T09:15:00-07:00": keeps the sender's
   * zone, which relative times ("tomorrow at 3") are resolved in. */
  function isoWithOffset(dateHeader) {
    if (!dateHeader) return null;
    const parsed = new Date(dateHeader.replace(/\s*\([^)]*\)\s*$/, ""));
    if (Number.isNaN(parsed.getTime())) return null;
    const match = /([+-])(\d{2}):?(\d{2})\s*(\([^)]*\))?\s*$/.exec(dateHeader);
    if (!match) return parsed.toISOString();
    const sign = match[1] === "-" ? -1 : 1;
    const minutes = sign * (Number(match[2]) * 60 + Number(match[3]));
    const shifted = new Date(parsed.getTime() + minutes * 60000).toISOString().slice(0, 19);
    return `${shifted}${match[1]}${match[2]}:${match[3]}`;
  }

  function headerValue(headers, name) {
    const match = new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, "im").exec(headers || "");
    return match ? match[1].replace(/\r?\n[ \t]+/g, " ").trim() : null;
  }

  const address = (person) =>
    person ? (person.displayName ? `${person.displayName} <${person.emailAddress}>` : person.emailAddress) : "";

  async function readAttachments(item) {
    const listed = item.attachments || (item.getAttachmentsAsync ? await call((cb) => item.getAttachmentsAsync(cb)) : []);
    const out = [];
    for (const attachment of listed || []) {
      const entry = { name: attachment.name, kind: attachment.contentType || "", size: attachment.size || 0 };
      if (item.getAttachmentContentAsync && !attachment.isInline) {
        try {
          const content = await call((cb) => item.getAttachmentContentAsync(attachment.id, cb));
          entry.format = content.format;
          if (content.format === "eml" || content.format === "iCalendar") {
            entry.text = content.content;
          } else if (content.format === "base64" && TEXT_TYPES.test(entry.kind)) {
            entry.text = new TextDecoder().decode(Uint8Array.from(atob(content.content), (c) => c.charCodeAt(0)));
          }
          if (entry.text) entry.text = entry.text.slice(0, ATTACHMENT_TEXT_LIMIT);
        } catch (err) {
          entry.error = err.message;
        }
      }
      out.push(entry);
    }
    return out;
  }

  async function readItem() {
    const item = Office.context.mailbox.item;
    if (!item) throw new PaneError("office", "Open or select an e-mail first.");
    const compose = typeof item.subject !== "string";
    const subject = compose ? await call((cb) => item.subject.getAsync(cb)) : item.subject;
    const body = await call((cb) => item.body.getAsync(Office.CoercionType.Text, cb));
    let headers = "";
    if (!compose && item.getAllInternetHeadersAsync) {
      try {
        headers = await call((cb) => item.getAllInternetHeadersAsync(cb));
      } catch (e) {
        headers = ""; // older mailboxes: fall back to the item's own time below
      }
    }
    const created = item.dateTimeCreated instanceof Date ? item.dateTimeCreated.toISOString() : null;
    const date = isoWithOffset(headerValue(headers, "Date")) || created || new Date().toISOString();
    const recipients = (compose ? [] : item.to || []).map(address);
    const attachments = await readAttachments(item);
    // The new text, the quoted history and the signature are told apart on the server, by
    // the cleaning mail fetched over IMAP, EWS or Graph gets (outlook.js: cleanedMail).
    return {
      compose,
      body: body || "",
      headers: headers || "",
      document: {
        kind: "email",
        source: `outlook:${item.itemId || item.conversationId || "draft"}`,
        title: subject || "",
        // while writing, the sender is the user (a thread summary names them)
        from: compose ? address(Office.context.mailbox.userProfile) : address(item.from || item.sender),
        to: recipients,
        date,
        thread_key: item.conversationId || "",
        message_id: item.internetMessageId || null,
        metadata: { attachments, timezone: Intl.DateTimeFormat().resolvedOptions().timeZone },
      },
      attachments,
    };
  }

  window.deskdraftItem = { readItem, isoWithOffset, headerValue };
})();
