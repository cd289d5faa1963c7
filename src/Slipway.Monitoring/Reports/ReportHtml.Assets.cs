namespace Slipway.Monitoring.Reports;

public static partial class ReportHtml
{
    // Local font stacks only: a web font would be a network request, and the report must open offline.
    private const string Css = """
        :root{--ref:#5b7db1;--cur:#e8893a;--bad:#c0392b;--good:#2e8b57;--line:#dde1e6;--muted:#6b7280}
        *{box-sizing:border-box}
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:0;color:#1f2933;background:#f7f8fa}
        header,main,footer{max-width:1200px;margin:0 auto;padding:16px 24px}
        h1{font-size:22px;margin:8px 0}h2{font-size:18px;margin:0 0 8px}
        section{background:#fff;border:1px solid var(--line);border-radius:6px;padding:16px;margin:16px 0}
        .summary.bad{border-left:6px solid var(--bad)}.summary.good{border-left:6px solid var(--good)}
        .muted{color:var(--muted)}
        .meta{display:flex;flex-wrap:wrap;gap:4px 24px;margin:8px 0}.meta dt{font-weight:600;display:inline}.meta dd{display:inline;margin:0 0 0 6px}
        table{border-collapse:collapse;width:100%}
        th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
        th{background:#f0f2f5;cursor:pointer;user-select:none;white-space:nowrap}
        th.asc::after{content:" \25B2"}th.desc::after{content:" \25BC"}
        td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        td.name{font-weight:600;word-break:break-all}
        tr.drifted td.name{color:var(--bad)}
        .flag{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;white-space:nowrap}
        .flag.bad{background:#fde2e0;color:var(--bad)}.flag.good{background:#e0f3e8;color:var(--good)}.flag.skip{background:#eceff3;color:var(--muted)}
        .error{font-size:12px;color:var(--muted);max-width:260px}
        .chart rect.ref{fill:var(--ref)}.chart rect.cur{fill:var(--cur)}.chart .axis{stroke:#9aa5b1;stroke-width:1}
        .range{display:flex;justify-content:space-between;width:280px;font-size:11px;color:var(--muted)}
        .missing{font-size:11px;color:var(--bad)}
        .tools{display:flex;gap:16px;align-items:center;margin:8px 0}.tools input[type=search]{padding:4px 8px;width:240px}
        .legend{font-size:12px;color:var(--muted)}.swatch{display:inline-block;width:10px;height:10px;margin:0 4px 0 8px}
        .swatch.ref{background:var(--ref)}.swatch.cur{background:var(--cur)}
        footer{font-size:12px}
        """;

    // Sorting and filtering only; the report reads the same with scripts off.
    private const string Script = """
        (function(){
          function key(td){var v=td.getAttribute('data-v');if(v!==null){var n=parseFloat(v);if(!isNaN(n))return n;}return td.textContent.toLowerCase();}
          document.querySelectorAll('table.sortable').forEach(function(table){
            var heads=table.querySelectorAll('th');
            heads.forEach(function(th,i){th.addEventListener('click',function(){
              var asc=!th.classList.contains('asc');heads.forEach(function(h){h.classList.remove('asc','desc');});th.classList.add(asc?'asc':'desc');
              var body=table.tBodies[0];var rows=Array.prototype.slice.call(body.rows);
              rows.sort(function(a,b){var x=key(a.cells[i]),y=key(b.cells[i]);var c=x<y?-1:x>y?1:0;return asc?c:-c;});
              rows.forEach(function(r){body.appendChild(r);});
            });});
          });
          document.querySelectorAll('section').forEach(function(section){
            var text=section.querySelector('[data-filter]'),only=section.querySelector('[data-drifted-only]');
            if(!text||!only)return;
            function apply(){var q=text.value.toLowerCase();section.querySelectorAll('tbody tr').forEach(function(r){
              var show=(r.getAttribute('data-name')||'').toLowerCase().indexOf(q)>=0&&(!only.checked||r.getAttribute('data-drift')==='1');
              r.style.display=show?'':'none';});}
            text.addEventListener('input',apply);only.addEventListener('change',apply);
          });
        })();
        """;
}
