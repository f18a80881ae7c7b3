/**
 * The sandbox's controls in the emulator page's header: the simulated date and a button that moves it
 * on by a week (the next Monday's digests then go out). Plain inline script: the page allows nothing else.
 */
export function sandboxControlsHtml(): string {
  return `
<style>
  #zwgk-sandbox { display: flex; align-items: center; gap: 10px; font-size: 13px; }
  #zwgk-sandbox .date { background: rgba(255,255,255,.18); padding: 4px 10px; border-radius: 12px; }
  #zwgk-sandbox button { border: 0; border-radius: 14px; padding: 5px 12px; cursor: pointer; background: #fff; color: #1677ff; font-weight: 600; }
  #zwgk-sandbox button:disabled { opacity: .6; cursor: progress; }
  /* A phone's header keeps the date and the button on one line. */
  @media (max-width: 719.98px) {
    #zwgk-sandbox { gap: 6px; font-size: 12px; }
    #zwgk-sandbox .label { display: none; }
    #zwgk-sandbox .date { padding: 3px 8px; white-space: nowrap; }
    #zwgk-sandbox button { padding: 4px 10px; white-space: nowrap; }
  }
</style>
<div id="zwgk-sandbox">
  <span class="label">沙盒 · 模拟日期</span><span class="date" id="zwgk-date">…</span>
  <button type="button" id="zwgk-advance" title="把模拟时间向后推一周，到时自动发送下周的周报">前进一周 ▸</button>
</div>
<script>
(function () {
  var dateEl = document.getElementById('zwgk-date');
  var button = document.getElementById('zwgk-advance');
  function show(state) { dateEl.textContent = state.date + '（' + state.weekday + '）' + state.time; }
  function refresh() {
    fetch('/_sandbox/state').then(function (r) { return r.json(); }).then(show).catch(function () {});
  }
  button.addEventListener('click', function () {
    button.disabled = true;
    fetch('/_sandbox/advance', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"days":7}' })
      .then(function (r) { return r.json(); })
      .then(show)
      .finally(function () { button.disabled = false; });
  });
  refresh();
  setInterval(refresh, 30000);
})();
</script>`;
}
