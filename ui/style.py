"""The workspace's stylesheet and the script in its page head (Blocks.launch css= and head=)."""

CSS = """
.status { display:flex; flex-wrap:wrap; gap:.5em; align-items:center; margin:.25em 0; }
.badge { padding:.1em .6em; border-radius:1em; font-size:.85em; font-weight:600; }
.badge.llm { background:#dbeafe; color:#1e3a8a; }
.badge.extractive { background:#fef3c7; color:#78350f; }
.badge.idle, .badge.busy { background:#e5e7eb; color:#374151; }
.condensed { font-size:.85em; color:#4b5563; }
.notice { font-size:.85em; color:#92400e; }
.abstain { font-size:1.05em; color:#991b1b; }
.warn, .flag { color:#b45309; font-size:.85em; }
.flag { margin-left:.5em; font-weight:600; }
sup.cites a.cite { text-decoration:none; cursor:pointer; padding:0 .1em; }
sup.cites a.cite.unverified { color:#b45309; }
sup.cites .missing { color:#9ca3af; }
#chatbot .message-wrap .message, #chatbot .bot { line-height:1.75; }
.sources-head, .docs-head { font-weight:600; margin-bottom:.3em; }
details.answer-sources { margin:.3em 0; }
details.answer-sources > summary { cursor:pointer; color:#374151; font-size:.9em; }
details.source { border:1px solid #e5e7eb; border-radius:.4em; padding:.3em .6em; margin:.3em 0; }
details.source.unverified { border-color:#f59e0b; }
details.source.flash { outline:2px solid #3b82f6; }
details.source summary { cursor:pointer; }
details.source .num { font-weight:700; }
details.source .lines, details.source .file { color:#6b7280; font-size:.85em; margin-left:.4em; }
blockquote.passage { margin:.4em 0; padding-left:.6em; border-left:3px solid #d1d5db; }
blockquote.passage .ctx { color:#9ca3af; }
mark { background:#fde68a; }
.msg.error { color:#b91c1c; } .msg.ok { color:#15803d; }
.docs table, table.table { border-collapse:collapse; width:100%; font-size:.9em; }
.docs td, .docs th, table.table td, table.table th { border:1px solid #e5e7eb; padding:.2em .4em; }
.docs td.title { min-width:12em; }
.docs tr.file td { background:#f3f4f6; }
.docs .file-name { font-weight:600; word-break:break-all; } .docs .file-meta { color:#6b7280; font-size:.85em; }
.rejected { color:#b91c1c; }
.confirm { border:1px solid #fca5a5; background:#fef2f2; border-radius:.4em; padding:.5em .8em; }
.confirm ul { margin:.3em 0 .3em 1.2em; } .confirm .lines { color:#6b7280; font-size:.85em; }
#kb-progress { min-height:2.5em; }
img.chart { max-width:100%; height:auto; }
.badge.curated { background:#dcfce7; color:#14532d; }
.provenance { font-size:.85em; color:#166534; margin-top:.3em; }
.verdict.correct { color:#15803d; font-weight:600; } .verdict.wrong { color:#b91c1c; font-weight:600; }
.hit-test h4 { margin:.8em 0 .3em; } .hit-answer .hit-text { color:#374151; margin-top:.2em; }
.hit-decision { margin:.3em 0; } .hit-units { margin:.2em 0 .2em 1.4em; font-size:.85em; color:#4b5563; }
#fb-passage label { align-items:flex-start; }
table.feedback td:nth-child(-n+4), table.feedback th, table.curated td:nth-child(n+5) { white-space:nowrap; }
@media (max-width: 640px) {
  .docs table, .docs tbody, .docs tr { display:block; width:100%; box-sizing:border-box; border:none !important; }
  .docs thead { display:none; }
  .docs tr { border-bottom:1px solid #e5e7eb !important; padding:.35em 0; }
  .docs td { display:inline-block; border:none !important; padding:0 .8em 0 0 !important; font-size:.85em;
             color:#4b5563; background:none; }
  .docs td.title, .docs tr.file td { display:block; width:100%; font-size:1em; color:inherit; min-width:0; }
  .docs td.title { font-weight:600; }
  .docs td:not(.title):not([colspan])::before { content:attr(data-label) "："; color:#9ca3af; }
  .docs td:empty { display:none; }
  table.table { display:block; overflow-x:auto; }
}
"""

# Clicking a citation marker opens its entry in the sources panel (an older answer's block too) and scrolls
# to it; a new question is scrolled to the top of the chat so a long answer is read from its start.
HEAD = """
<script>
document.addEventListener('click', function (e) {
  var a = e.target && e.target.closest ? e.target.closest('a.cite') : null;
  if (!a) return;
  var id = (a.getAttribute('href') || '').replace(/^#/, '');
  var d = id ? document.getElementById(id) : null;
  if (!d) return;
  e.preventDefault(); e.stopPropagation();
  for (var p = d; p; p = p.parentElement) { if (p.tagName === 'DETAILS') p.open = true; }
  d.scrollIntoView({block: 'center'});
  d.classList.add('flash');
  setTimeout(function () { d.classList.remove('flash'); }, 1500);
}, true);
(function () {
  var seen = 0;
  new MutationObserver(function () {
    var chat = document.getElementById('chatbot');
    if (!chat) return;
    var users = chat.querySelectorAll('[data-testid="user"]');
    if (users.length > seen) {
      var last = users[users.length - 1];
      var box = last.closest('[role="log"]') || last.parentElement;
      while (box && box.scrollHeight <= box.clientHeight) box = box.parentElement;
      if (box) box.scrollTop += last.getBoundingClientRect().top - box.getBoundingClientRect().top - 8;
    }
    seen = users.length;
  }).observe(document.documentElement, {childList: true, subtree: true});
})();
// a locked-out login (429) says so on the login form, which otherwise stays silent
(function () {
  var plain = window.fetch;
  window.fetch = function (input) {
    return plain.apply(this, arguments).then(function (r) {
      var url = (typeof input === 'string' ? input : (input && input.url) || '').split('?')[0];
      if (r.status === 429 && url.replace(/[/]+$/, '').endsWith('/login')) {
        r.clone().json().then(function (j) {
          var m = document.getElementById('login-lockout') || document.createElement('div');
          m.id = 'login-lockout'; m.textContent = j.detail || '';
          m.style.cssText = 'color:#b91c1c;font-weight:600;margin:.5em 0';
          (document.querySelector('form') || document.body).prepend(m);
        });
      }
      return r;
    });
  };
})();
</script>
"""
