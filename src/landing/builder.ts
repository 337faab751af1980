import { html, type Html } from './html.js'

/**
 * The builder's script: reads the form, shows the badge it makes and the
 * snippets for it. It runs in the page (the server is asked for nothing but
 * the badge), writes text only through textContent and the preview's src,
 * and is allowed by its hash in the page's CSP. Without it the form still
 * works: submitting opens the badge with the chosen parameters.
 */
export const BUILDER_SCRIPT = `
(function () {
  var form = document.getElementById('builder');
  if (!form || !window.URLSearchParams) return;
  var base = form.getAttribute('data-base');
  var assets = form.getAttribute('data-assets');
  var preview = document.getElementById('builder-preview');
  var out = function (id, text) { document.getElementById(id).textContent = text; };
  var entities = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  var escapeHtml = function (text) {
    return text.replace(/[&<>"']/g, function (c) { return entities[c]; });
  };
  var value = function (name) { return String(new FormData(form).get(name) || '').trim(); };
  function pathAndQuery(theme) {
    var ids = value('ids');
    var query = new URLSearchParams();
    if (ids) query.set('ids', ids);
    var label = value('label');
    if (label !== form.getAttribute('data-label')) query.set('label', label);
    if (value('style') !== 'flat') query.set('style', value('style'));
    if (value('logo')) query.set('logo', value('logo'));
    if (theme === 'dark') query.set('theme', 'dark');
    var text = query.toString();
    return (ids ? 'components/badge.svg' : 'badge.svg') + (text ? '?' + text : '');
  }
  function update() {
    var theme = value('theme');
    var chosen = pathAndQuery(theme);
    var url = base + '/' + chosen;
    var light = base + '/' + pathAndQuery('light');
    var dark = base + '/' + pathAndQuery('dark');
    var alt = value('label') || 'status';
    preview.src = assets + chosen;
    preview.alt = alt;
    out('builder-url', url);
    out('builder-html', '<img src="' + escapeHtml(url) + '" alt="' + escapeHtml(alt) + '">');
    out('builder-markdown', '![' + alt.replace(/[\\\\[\\]]/g, '\\\\$&') + '](' + url.replace(/[()\\s]/g, encodeURIComponent) + ')');
    out('builder-picture', '<picture>\\n  <source media="(prefers-color-scheme: dark)" srcset="' + escapeHtml(dark) +
      '">\\n  <img src="' + escapeHtml(light) + '" alt="' + escapeHtml(alt) + '">\\n</picture>');
    out('builder-png', '<img src="' + escapeHtml(url.replace('badge.svg', 'badge.png')) + '" alt="' + escapeHtml(alt) + '" height="20">');
  }
  form.addEventListener('input', update);
  form.addEventListener('submit', function (event) { event.preventDefault(); update(); });
  var buttons = document.querySelectorAll('[data-copy]');
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener('click', function (event) {
      var button = event.currentTarget;
      var text = document.getElementById(button.getAttribute('data-copy')).textContent;
      if (navigator.clipboard) navigator.clipboard.writeText(text).then(function () { button.textContent = 'Copied'; });
    });
  }
  document.getElementById('builder-output').hidden = false;
  update();
})();
`.trim()

const STYLES = ['flat', 'flat-square', 'plastic', 'for-the-badge', 'social']

const output = (
  id: string,
  title: string,
) => html`<h3>${title} <button type="button" data-copy="${id}" hidden>Copy</button></h3>
  <pre><code id="${id}"></code></pre>`

/**
 * The builder: a form for label, style, theme, logo and ids. With script,
 * it previews the badge and writes its snippets as one types; without, its
 * buttons open the badge itself.
 */
export function builderSection(base: string, assets: string, label: string): Html {
  return html`<section>
    <h2>Build a badge</h2>
    <form id="builder" method="get" action="${assets}badge.svg" data-base="${base}" data-assets="${assets}" data-label="${label}">
      <p>
        <label>label <input name="label" value="${label}" maxlength="64" /></label>
        <label
          >style
          <select name="style">
            ${STYLES.map((style) => html`<option>${style}</option>`)}
          </select></label
        >
        <label
          >theme
          <select name="theme">
            <option>light</option>
            <option>dark</option>
          </select></label
        >
      </p>
      <p>
        <label>logo <input name="logo" placeholder="github, or data:image/svg+xml;base64,…" size="30" /></label>
        <label>ids <input name="ids" placeholder="1,2,7 for a roll-up" pattern="[A-Za-z0-9_,\\-]*" size="12" /></label>
      </p>
      <p>
        <button type="submit">Open the overall badge</button>
        <button type="submit" formaction="${assets}components/badge.svg">Open the roll-up of these ids</button>
      </p>
    </form>
    <div id="builder-output" hidden>
      <div class="badge"><img id="builder-preview" src="${assets}badge.svg" alt="${label}" height="20" /></div>
      ${output('builder-url', 'URL')} ${output('builder-html', 'HTML')} ${output('builder-markdown', 'Markdown')}
      ${output('builder-picture', 'Light and dark (<picture>)')} ${output('builder-png', 'PNG (e-mail, chat)')}
    </div>
  </section>`
}
