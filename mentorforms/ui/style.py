"""The look of the pages (one style sheet) and the one browser-side behaviour they need: a
warning when leaving a page with unsaved changes.

The style sheet travels in an HTML widget (browsers apply a ``<style>`` added that way). The
leave-warning is a script (see :data:`UNSAVED_GUARD`); it only reads the page: it warns while an
element has the ``mf-unsaved`` class, which the form page sets and clears on the server side.
"""

from __future__ import annotations

import ipywidgets as widgets

CSS = """
<style>
.mf-page { --mf-blue: #2b5c8a; --mf-ink: #1b1f24; --mf-muted: #59636e; --mf-line: #d0d7de; --mf-soft: #f3f6f9;
  --mf-red: #b42318; --mf-green: #1a7f37; --mf-amber: #9a6700;
  font-family: "Helvetica Neue", Arial, sans-serif; color: var(--mf-ink); max-width: 1180px; margin: 0 auto;
  padding: 8px 16px 24px; box-sizing: border-box; width: 100%; }
.mf-page .widget-html-content, .mf-page .widget-html { line-height: 1.45; height: auto; }
.mf-page .widget-html > .widget-html-content { height: auto; }
.mf-page .widget-label, .mf-page .widget-label-basic { white-space: normal; }
.mf-page a { color: var(--mf-blue); }
.mf-identity { font-size: 13px; color: var(--mf-muted); padding: 4px 0 8px; border-bottom: 1px solid var(--mf-line); }
.mf-demo-tag { background: #fff4ce; color: #7a4d00; border: 1px solid #e0b400; border-radius: 3px;
  padding: 1px 6px; font-weight: 700; font-size: 12px; letter-spacing: .04em; margin-right: 4px; }
.mf-demo-picker { border: 2px dashed #e0b400; background: #fffbea; padding: 12px 16px; border-radius: 6px;
  margin: 16px 0; }
.mf-demo-label { margin-bottom: 8px; }
.mf-header { padding: 14px 0 6px; }
.mf-source { color: var(--mf-muted); font-size: 12px; text-transform: uppercase; letter-spacing: .05em; }
.mf-title { font-size: 22px; line-height: 1.25; margin: 2px 0 4px; font-weight: 650; }
.mf-subject { color: var(--mf-muted); font-size: 14px; }
.mf-status { font-size: 13px; padding: 6px 10px; background: var(--mf-soft); border: 1px solid var(--mf-line);
  border-radius: 6px; margin: 6px 0; }
.mf-state { font-weight: 700; text-transform: uppercase; font-size: 12px; letter-spacing: .04em; padding: 1px 6px;
  border-radius: 3px; background: #e6ebf1; }
.mf-state-draft { background: #fff4ce; color: #7a4d00; }
.mf-state-submitted { background: #ddf4ff; color: #0550ae; }
.mf-state-signed { background: #dafbe1; color: var(--mf-green); }
.mf-remaining { font-weight: 600; color: var(--mf-amber); }
.mf-remaining.mf-complete { color: var(--mf-green); }
.mf-unsaved-tag { color: var(--mf-red); font-weight: 600; margin-left: 6px; }
.mf-readonly-tag { font-size: 11px; text-transform: uppercase; letter-spacing: .05em; color: var(--mf-muted);
  border: 1px solid var(--mf-line); border-radius: 3px; padding: 0 5px; font-weight: 600; }
.mf-banner { padding: 10px 14px; border-radius: 6px; margin: 8px 0; font-size: 14px; }
.mf-notice { background: #fff8e1; border: 1px solid #f0c36d; }
.mf-refusal { background: #fdecea; border: 1px solid #f5b5ae; color: #7a1a12; font-size: 15px; margin-top: 18px; }
.mf-intro { font-size: 14px; color: #333; margin: 4px 0; }
.mf-footnote, .mf-help { color: var(--mf-muted); font-size: 12.5px; }
.mf-help { margin: 0 0 4px; display: block; font-weight: normal; }
.jp-OutputArea-output, .jp-Cell-outputArea, .jp-OutputArea, .jp-OutputArea-child, .jp-Cell, .jp-Notebook,
.mf-page, .mf-form, .mf-body, .mf-page > .widget-vbox, .mf-page .widget-vbox.mf-form { overflow: visible !important; }
.mf-page .mf-field .widget-inline-hbox, .mf-page .mf-field .widget-inline-vbox, .mf-page .mf-field .widget-radio,
.mf-page .mf-field .widget-textarea, .mf-page .mf-field .widget-text { margin-left: 0; margin-right: 0; }
.mf-page .mf-field input, .mf-page .mf-field textarea { box-sizing: border-box; }
.mf-body { width: 100%; align-items: flex-start; }
.mf-main { flex: 1 1 auto; min-width: 0; }
.mf-body-split .mf-main { flex: 3 1 0; }
.mf-side-below { border-top: 3px solid var(--mf-line); margin-top: 16px; padding-top: 8px; }
.mf-side { flex: 2 1 0; min-width: 0; margin-left: 18px; position: sticky; top: 8px; max-height: calc(100vh - 24px);
  overflow-y: auto; border-left: 3px solid var(--mf-line); padding-left: 14px; }
.mf-section { border: 1px solid var(--mf-line); border-radius: 8px; padding: 4px 18px 10px; margin: 12px 0;
  background: #fff; box-shadow: 0 1px 2px rgba(27,31,36,.04); }
.mf-section-title { font-size: 16px; color: var(--mf-blue); margin: 12px 0 6px; font-weight: 650; }
.mf-section-intro { margin: 0 0 6px; color: #333; }
.mf-field { margin: 8px 0 12px; width: 100%; }
.mf-question-text { font-weight: 600; line-height: 1.35; }
.mf-required { font-size: 11px; font-weight: 600; color: var(--mf-muted); background: var(--mf-soft);
  border: 1px solid var(--mf-line); border-radius: 3px; padding: 0 4px; margin-left: 6px; vertical-align: 1px;
  text-transform: uppercase; letter-spacing: .03em; }
.mf-lcme { color: #b35900; font-weight: 700; margin-left: 2px; }
.mf-page .mf-q.widget-inline-hbox { flex-direction: column; align-items: stretch; height: auto; }
.mf-page .mf-q > .widget-label { width: auto !important; max-width: none; height: auto; line-height: 1.35;
  margin: 0 0 4px 0; padding: 0; text-align: left; }
.mf-page .mf-q.widget-checkbox { flex-direction: row; align-items: center; }
.mf-page .mf-q.widget-checkbox > .widget-label { margin: 0; }
.mf-page .widget-text input, .mf-page .widget-textarea textarea, .mf-page .widget-datepicker input,
.mf-page .widget-dropdown select { border-radius: 4px; font-size: 14px; }
.mf-page .widget-textarea textarea { min-height: 3.2em; resize: vertical; font-family: inherit; line-height: 1.4;
  field-sizing: content; max-height: 30em; }
.mf-page .widget-text, .mf-page .widget-textarea { width: 100%; }
.mf-kind-hours .mf-qrow::after { content: "hours"; color: var(--mf-muted); margin-left: 6px; width: 42px; }
.mf-table-head-row { display: flex; width: 100%; align-items: flex-end; }
.mf-page .mf-qrow.widget-inline-hbox { flex-direction: row; align-items: center; height: auto; margin: 0; }
.mf-page .mf-qrow > .widget-label { flex: 1 1 auto; width: auto !important; max-width: none; height: auto;
  line-height: 1.35; text-align: left; padding-right: 12px; }
.mf-page .mf-qrow > input { flex: 0 0 120px; width: 120px; text-align: right; }
.mf-kind-hours { border-bottom: 1px dotted #e3e7eb; padding-bottom: 6px; margin: 4px 0 6px !important; }
.mf-page .widget-radio-box { flex-direction: column; }
.mf-page .widget-radio-box label { white-space: normal; line-height: 1.4; margin: 2px 0; }
.mf-page .mf-choices { display: grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr)); gap: 0 16px; }
.mf-page .mf-choices .widget-checkbox { height: auto; align-items: flex-start; }
.mf-page .mf-choices .widget-checkbox > label { white-space: normal; line-height: 1.35; }
.mf-page .mf-rank { gap: 4px; }
.mf-page .mf-rank .widget-dropdown { width: auto; }
.mf-page .mf-rank .widget-dropdown > .widget-label { min-width: 150px; font-weight: normal; }
.mf-page .mf-rank .widget-dropdown > select { flex: 0 0 80px; width: 80px; }
.mf-page .mf-rank .widget-dropdown > .widget-label { width: 180px !important; text-align: left; }
.mf-table { border: 1px solid var(--mf-line); border-radius: 6px; padding: 4px 6px; background: #fcfdfe; }
.mf-table-head .mf-column-head { font-size: 12px; font-weight: 700; color: var(--mf-muted); padding: 2px 4px;
  text-transform: uppercase; letter-spacing: .03em; }
.mf-row { align-items: flex-start; border-top: 1px solid #eef1f4; padding: 3px 0; }
.mf-page .mf-row .widget-checkbox { justify-content: center; }
.mf-page .mf-row .mf-remove-row { width: 84px !important; }
.mf-page .mf-row .widget-dropdown select { padding-left: 2px; padding-right: 14px; }
.mf-table-limits { color: var(--mf-muted); font-size: 12px; margin-left: 8px; }
.mf-signature-row { align-items: flex-end; gap: 8px; flex-wrap: wrap; }
.mf-page .mf-signature-name { width: 320px; }
.mf-signature-note { color: var(--mf-muted); font-size: 12.5px; }
.mf-message-list { margin: 4px 0 0; padding: 6px 10px 6px 26px; color: var(--mf-red); background: #fdecea;
  border-radius: 4px; font-size: 13.5px; }
.mf-invalid .widget-text input, .mf-invalid textarea, .mf-invalid-cell input, .mf-invalid-cell textarea,
.mf-invalid .widget-radio-box, .mf-invalid select, .mf-invalid .widget-datepicker input {
  border-color: var(--mf-red) !important; box-shadow: 0 0 0 1px var(--mf-red); }
/* The status line and the actions stay in view on long forms. Voila's lab template scrolls inside
   #rendered_cells; sticky needs every ancestor up to it without overflow clipping (set visible
   above), and scroll-padding keeps a focused problem clear of both bars. */
#rendered_cells { scroll-padding-top: 64px; scroll-padding-bottom: 150px; }
.mf-form > .mf-status-line { position: sticky; top: 0; z-index: 6; background: #fff; }
.mf-actions { position: sticky; bottom: 0; background: rgba(255,255,255,.97); border-top: 1px solid var(--mf-line);
  padding: 8px 0 6px; z-index: 5; margin-top: 8px; }
.mf-buttons { gap: 8px; flex-wrap: wrap; align-items: center; }
.mf-page .mf-buttons .jupyter-button { width: auto; padding: 0 14px; }
.mf-download { display: inline-flex; align-items: center; gap: 6px; height: 28px; padding: 0 14px;
  text-decoration: none; border-radius: 2px; }
.mf-say { font-size: 14px; padding: 4px 2px 0; }
.mf-say-ok { color: var(--mf-green); }
.mf-say-error { color: var(--mf-red); font-weight: 600; }
.mf-print-bar { margin: 10px 0 6px; color: var(--mf-muted); }
.mf-print-frame { width: 100%; height: 80vh; border: 1px solid var(--mf-line); border-radius: 6px; background: #fff; }
.mf-reference .mfp { font-size: 12.5px; }
.mf-reference .mfp h1 { font-size: 15px; }
.mf-landing h2 { font-size: 16px; color: var(--mf-blue); margin: 16px 0 6px; }
.mf-links { border-collapse: collapse; width: 100%; font-size: 14px; table-layout: fixed; }
.mf-links th:nth-child(1) { width: 62%; } .mf-links th:nth-child(2) { width: 16%; }
.mf-page input:disabled, .mf-page textarea:disabled, .mf-page select:disabled {
  color: var(--mf-ink) !important; -webkit-text-fill-color: var(--mf-ink); background: #f6f8fa; opacity: 1 !important; }
.mf-page .widget-radio-box input:disabled + *, .mf-page .widget-radio-box label { opacity: 1; }
.mf-links th, .mf-links td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--mf-line); }
.mf-links th { color: var(--mf-muted); font-weight: 600; font-size: 12px; text-transform: uppercase; }
.mf-versions { margin: 10px 0; font-size: 13px; color: var(--mf-muted); }
.mf-versions summary { cursor: pointer; }
.mf-versions .mf-links th:nth-child(1) { width: 8%; } .mf-versions .mf-links { font-size: 13px; }
.mf-chooser ul { font-size: 15px; line-height: 1.8; }
@media print { .mf-actions, .mf-identity { display: none; } }
</style>
"""

#: Warn before leaving while the page holds unsaved changes. It must be registered before Voila's
#: own beforeunload listener, which shuts the page's kernel down at once (before the browser even
#: asks the user), leaving someone who chose to stay on a dead page: so it sits in a raw HTML cell
#: at the top of form.ipynb, which Voila writes into the page as it streams, long before its
#: scripts start. While there are unsaved changes it stops Voila's listener and shuts the kernel
#: down on ``pagehide`` instead, when the page really goes.
#: Voila's shutdown call is refused without an ``_xsrf`` cookie, which this server never sets, so
#: kernels of closed pages would live until culled; the script sets a random one (the usual
#: double-submit token), which makes that call work.
UNSAVED_GUARD = r"""<script>
(function () {
  if (window.__mentorformsGuard) { return; }
  window.__mentorformsGuard = true;
  if (!/(^|;\s*)_xsrf=/.test(document.cookie)) {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    var token = Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
    document.cookie = '_xsrf=' + token + '; path=/; SameSite=Strict';
  }
  var held = false;
  window.addEventListener('beforeunload', function (event) {
    held = false;
    if (document.querySelector('.mf-unsaved')) {
      held = true;
      event.stopImmediatePropagation();
      event.preventDefault();
      event.returnValue = 'You have unsaved changes.';
      return event.returnValue;
    }
  });
  window.addEventListener('pagehide', function () {
    if (!held) { return; }
    try {
      var config = JSON.parse(document.getElementById('jupyter-config-data').textContent);
      var base = document.body.getAttribute('data-base-url') || '/voila/';
      var xsrf = document.cookie.match(/(?:^|;\s*)_xsrf=([^;]*)/);
      var form = new FormData();
      form.append('_xsrf', (xsrf && xsrf[1]) || '');
      navigator.sendBeacon(base + 'api/shutdown/' + config.kernelId, form);
    } catch (error) { /* the server culls idle kernels anyway */ }
  });
})();
</script>"""


def page_style() -> widgets.HTML:
    """The style sheet as a widget to put first on every page."""
    style = widgets.HTML(CSS, layout=widgets.Layout(display="block", height="0px", overflow="hidden", margin="0"))
    style.add_class("mf-style")
    return style
