/** Structural checks of an OpenAPI 3.1 document, the ones generated documents promise: every `$ref`
 * resolves, security requirements name declared schemes, every `{param}` of a path is declared as a
 * required path parameter, every operation answers a 2xx and documents its error responses with a
 * body. Returns the problems found (empty when none). */
export function openApiProblems(doc: unknown): string[] {
  const problems: string[] = [];
  const d = (doc ?? {}) as {
    openapi?: unknown;
    info?: { title?: unknown; version?: unknown };
    paths?: Record<string, Record<string, unknown>>;
    components?: Record<string, Record<string, unknown>>;
  };
  if (typeof d.openapi !== 'string' || !d.openapi.startsWith('3.1')) problems.push('openapi is not 3.1.x');
  if (typeof d.info?.title !== 'string' || typeof d.info?.version !== 'string')
    problems.push('info needs title and version');
  const components = d.components ?? {};
  const schemes = Object.keys(components.securitySchemes ?? {});

  const walk = (value: unknown, at: string) => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${at}/${i}`));
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === '$ref' && typeof v === 'string') {
          const m = /^#\/components\/([^/]+)\/(.+)$/.exec(v);
          if (!m || components[m[1]]?.[m[2]] === undefined) problems.push(`${at}: unresolved $ref ${v}`);
        } else walk(v, `${at}/${k}`);
      }
    }
  };
  walk(doc, '#');

  const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
  const operationIds = new Set<string>();
  for (const [path, item] of Object.entries(d.paths ?? {})) {
    const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [method, raw] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const at = `${method.toUpperCase()} ${path}`;
      const op = raw as {
        parameters?: { name: string; in: string; required?: boolean }[];
        security?: Record<string, unknown>[];
        responses?: Record<string, { content?: Record<string, unknown> }>;
        operationId?: string;
      };
      if (op.operationId !== undefined) {
        if (operationIds.has(op.operationId))
          problems.push(`${at}: operationId ${op.operationId} is not unique`);
        operationIds.add(op.operationId);
      }
      const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path');
      for (const name of names) {
        const p = pathParams.find((x) => x.name === name);
        if (!p) problems.push(`${at}: path parameter ${name} is not declared`);
        else if (p.required !== true) problems.push(`${at}: path parameter ${name} is not required`);
      }
      for (const p of pathParams)
        if (!names.includes(p.name))
          problems.push(`${at}: declares path parameter ${p.name} not in the path`);
      for (const requirement of op.security ?? [])
        for (const name of Object.keys(requirement))
          if (!schemes.includes(name)) problems.push(`${at}: security names undeclared scheme ${name}`);
      const statuses = Object.keys(op.responses ?? {});
      if (!statuses.some((s) => /^2\d\d$/.test(s))) problems.push(`${at}: no 2xx response`);
      const errors = statuses.filter((s) => /^[45]\d\d$/.test(s));
      const takesInput =
        (op.security ?? []).length > 0 || (op.parameters ?? []).length > 0 || 'requestBody' in op;
      if (errors.length === 0 && takesInput) problems.push(`${at}: documents no error response`);
      for (const s of errors)
        if (!op.responses?.[s]?.content) problems.push(`${at}: error ${s} has no body schema`);
    }
  }
  return problems;
}
