/* The parts every deskdraft pane shares, kept in one place: the title bar, the settings
   form, and the status line, error box and result area. Each page loads this first
   (scripts marked defer run in document order), so the page's own script and common.js
   find these elements in place. The markup is fixed text, never data. */
(function () {
  const bar = `
  <header class="bar">
    <img src="assets/icon-32.png" alt="">
    <h1>deskdraft</h1>
    <button id="settings-toggle" type="button" aria-expanded="false" aria-controls="settings">Settings</button>
  </header>`;
  const settings = `
    <section id="settings" hidden aria-label="Settings">
      <form id="settings-form">
        <label class="field"><span>Server address</span>
          <input id="setting-server" type="url" autocomplete="url" placeholder="https://localhost:8443">
        </label>
        <label class="field"><span>Access token</span>
          <input id="setting-token" type="password" autocomplete="off" aria-describedby="token-hint">
        </label>
        <p id="token-hint" class="hint">Run <code>deskdraft token</code> on the server to see it.</p>
        <button type="submit" class="primary">Save settings</button>
        <span id="settings-note" role="status" aria-live="polite"></span>
      </form>
    </section>`;
  const output = `
    <div id="status" class="status" role="status" aria-live="polite" hidden>
      <progress id="progress" max="1" aria-label="Progress"></progress>
      <span id="status-text"></span>
    </div>
    <div id="error" class="error" role="alert" hidden></div>

    <section id="result" aria-live="polite" aria-label="Draft"></section>`;

  document.body.insertAdjacentHTML("afterbegin", bar);
  document.querySelector("main").insertAdjacentHTML("afterbegin", settings);
  const slot = document.getElementById("pane-output");
  slot.insertAdjacentHTML("beforebegin", output);
  slot.remove();
})();
