/**
 * A self-contained page that renders /openapi.json: no CDN, so it works on an offline machine.
 */
export function docsPage(specUrl: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Conveyor API</title>
<style>
body{font:14px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:960px;padding:0 1rem;color:#222}
h2{border-bottom:1px solid #ddd;margin-top:2rem}.op{margin:.5rem 0;padding:.5rem;border:1px solid #eee;border-radius:6px}
.m{display:inline-block;min-width:4.5rem;font-weight:700;text-transform:uppercase}.get{color:#0a7}.post{color:#06c}
.put,.patch{color:#a60}.delete{color:#c22}code{background:#f5f5f5;padding:0 .25rem}pre{background:#f7f7f7;padding:.5rem;overflow:auto;font-size:12px}
</style></head><body>
<h1>Conveyor API</h1><p>Send <code>Authorization: Bearer &lt;key&gt;</code> to every <code>/v1</code> route. Spec: <a href="${specUrl}">${specUrl}</a></p>
<div id="ops">Loading…</div>
<script>
fetch(${JSON.stringify(specUrl)}).then(r => r.json()).then(spec => {
  const byTag = {};
  for (const [path, methods] of Object.entries(spec.paths))
    for (const [method, op] of Object.entries(methods)) (byTag[op.tags[0]] ??= []).push({ path, method, op });
  const root = document.getElementById('ops'); root.textContent = '';
  for (const [tag, ops] of Object.entries(byTag)) {
    const h = document.createElement('h2'); h.textContent = tag; root.append(h);
    for (const { path, method, op } of ops) {
      const d = document.createElement('details'); d.className = 'op';
      const s = document.createElement('summary');
      s.innerHTML = '<span class="m ' + method + '">' + method + '</span> <code></code> ';
      s.querySelector('code').textContent = path; s.append(op.summary || '');
      d.append(s);
      const params = (op.parameters || []).map(p => p.name + ' (' + p.in + ')').join(', ');
      if (params) { const p = document.createElement('p'); p.textContent = 'Parameters: ' + params; d.append(p); }
      const schema = op.requestBody && op.requestBody.content['application/json'].schema;
      if (schema) { const pre = document.createElement('pre'); pre.textContent = JSON.stringify(schema, null, 2); d.append(pre); }
      const p = document.createElement('p'); p.textContent = 'Responses: ' + Object.keys(op.responses).join(', '); d.append(p);
      root.append(d);
    }
  }
}).catch(e => { document.getElementById('ops').textContent = 'Could not load the spec: ' + e; });
</script></body></html>`;
}
