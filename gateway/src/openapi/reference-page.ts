import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Where the reference page and the viewer's files are served. The viewer is Swagger UI from its npm
 * package (`swagger-ui-dist`), served by the gateway itself: the page works offline, loads nothing
 * from elsewhere, and a Content-Security-Policy of `'self'` holds. */
export const ASSETS_PREFIX = '/api/v1/docs/assets/';

/** A strict policy: scripts and styles only from the gateway (Swagger UI sets inline styles on its
 * elements), requests only to the gateway (so "try it" reaches the API and nothing else). */
export const REFERENCE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The viewer's start-up script: a file, not inline, so the policy needs no `'unsafe-inline'` for
 * scripts. "Try it" sends the session cookie (withCredentials) or the bearer token entered under
 * Authorize, which persists across reloads. */
function initScript(documentUrl: string): string {
  return `'use strict';
window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(documentUrl)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    persistAuthorization: true,
    withCredentials: true,
    displayRequestDuration: true,
    defaultModelsExpandDepth: 1,
    showCommonExtensions: true,
    validatorUrl: 'none',
  });
});
`;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Every operation as a table row: what the page shows where scripts do not run. */
function operationRows(doc: { paths?: Record<string, Record<string, unknown>> }): string {
  const rows: string[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method] as
        { summary?: string; description?: string; 'x-aegis-service'?: unknown } | undefined;
      if (!op) continue;
      const service = op['x-aegis-service'] ?? item['x-aegis-service'];
      rows.push(
        `<tr><td>${escapeHtml(typeof service === 'string' ? service : '')}</td><td><code>${method.toUpperCase()}</code></td><td><code>${escapeHtml(path)}</code></td><td>${escapeHtml(op.summary ?? op.description ?? '')}</td></tr>`,
      );
    }
  }
  return rows.join('\n');
}

/** The HTML shell of the reference page; Swagger UI renders the merged document into it. Without
 * scripts, it lists the operations and links the machine-readable document. */
export function referencePage(
  documentUrl: string,
  doc: { paths?: Record<string, Record<string, unknown>> },
): string {
  const url = escapeHtml(documentUrl);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>AEGIS API reference</title>
<link rel="icon" type="image/png" href="${ASSETS_PREFIX}favicon-32x32.png">
<link rel="stylesheet" href="${ASSETS_PREFIX}swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<noscript>
<h1>AEGIS API reference</h1>
<p>The interactive reference needs JavaScript. Machine-readable: <a href="${url}">${url}</a></p>
<table><tr><th>service</th><th>method</th><th>path</th><th>summary</th></tr>
${operationRows(doc)}
</table>
</noscript>
<script src="${ASSETS_PREFIX}swagger-ui-bundle.js"></script>
<script src="${ASSETS_PREFIX}init.js"></script>
</body>
</html>
`;
}

export interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

/** The files the page uses, by name. Only these are served: a name is looked up in this list, never
 * joined onto a folder, so no request path can reach another file. */
const PACKAGE_FILES: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

/** Loads the viewer's files once, on first use, from the installed `swagger-ui-dist` package. */
export function referenceAssets(documentUrl: string): (name: string) => Asset | undefined {
  let loaded: Map<string, Asset> | undefined;
  const load = () => {
    const pkgJson = require.resolve('swagger-ui-dist/package.json');
    const dir = path.dirname(pkgJson);
    const asset = (body: Buffer, type: string): Asset => ({
      body,
      type,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    });
    const assets = new Map<string, Asset>();
    for (const [name, type] of Object.entries(PACKAGE_FILES))
      assets.set(name, asset(fs.readFileSync(path.join(dir, name)), type));
    assets.set('init.js', asset(Buffer.from(initScript(documentUrl)), 'text/javascript; charset=utf-8'));
    return assets;
  };
  return (name) => {
    if (!Object.hasOwn(PACKAGE_FILES, name) && name !== 'init.js') return undefined;
    loaded ??= load();
    return loaded.get(name);
  };
}
