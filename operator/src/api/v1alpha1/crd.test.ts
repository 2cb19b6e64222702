import fs from 'node:fs';
import path from 'node:path';
import { aegisTenantSchema } from '@aegis/common';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { configDir, generatedFiles } from '../../generate';
import { aegisTenantCrd, specSchema, statusSchema, TENANT_NAME_RULE, tenantOpenApiSchema } from './crd';
import { sampleFiles } from './samples';
import { type SchemaNode, toStructuralSchema, undescribed } from './structural';

function walk(node: SchemaNode, visit: (n: SchemaNode, path: string) => void, p = ''): void {
  visit(node, p);
  for (const [k, child] of Object.entries(node.properties ?? {})) walk(child, visit, p ? `${p}.${k}` : k);
  if (node.items) walk(node.items, visit, `${p}[]`);
  if (node.additionalProperties) walk(node.additionalProperties, visit, `${p}{}`);
}

describe('the generated operator/config files', () => {
  it('match what `npm run generate -w @aegis/operator` writes (the committed CRD is not stale)', () => {
    const files = generatedFiles();
    for (const [rel, text] of Object.entries(files)) {
      const file = path.join(configDir, rel);
      expect({ file: rel, exists: fs.existsSync(file) }).toEqual({ file: rel, exists: true });
      expect({ file: rel, text: fs.readFileSync(file, 'utf8') }).toEqual({ file: rel, text });
    }
    for (const sub of ['crd', 'rbac', 'samples']) {
      for (const f of fs.readdirSync(path.join(configDir, sub)))
        expect(Object.keys(files)).toContain(`${sub}/${f}`);
    }
  });
});

describe('aegisTenantCrd', () => {
  const schema = tenantOpenApiSchema();

  it('describes every field of spec and status', () => {
    expect(undescribed(specSchema())).toEqual([]);
    expect(undescribed(statusSchema())).toEqual([]);
  });

  it('is structural: one type per node, no references, no combinators, no additionalProperties: false', () => {
    walk(schema, (n, p) => {
      const raw = n as Record<string, unknown>;
      for (const bad of ['$ref', 'anyOf', 'oneOf', 'allOf', 'not', '$schema', 'propertyNames']) {
        expect({ p, has: bad in raw }).toEqual({ p, has: false });
      }
      expect({ p, type: typeof n.type }).toEqual({ p, type: 'string' });
      if ('additionalProperties' in raw) expect(typeof raw.additionalProperties).toBe('object');
    });
  });

  it('caps every list and every string a CEL rule reads', () => {
    walk(schema.properties!.spec, (n, p) => {
      if (n.type === 'array')
        expect({ p, maxItems: n.maxItems !== undefined }).toEqual({ p, maxItems: true });
      if (n.type === 'string' && !n.enum)
        expect({ p, maxLength: n.maxLength !== undefined }).toEqual({ p, maxLength: true });
    });
    expect(schema.properties!.spec.properties!.config.maxProperties).toBe(64);
  });

  it('keys the route overrides and the conditions by name and type, and makes services a set', () => {
    const rl = schema.properties!.spec.properties!.rateLimit;
    expect(rl.properties!.routes).toMatchObject({
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    });
    expect(schema.properties!.spec.properties!.services['x-kubernetes-list-type']).toBe('set');
    expect(schema.properties!.status.properties!.conditions).toMatchObject({
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['type'],
    });
  });

  it('carries the CEL rules: burst <= requestsPerMinute (tenant and route) and an immutable tenantId', () => {
    const spec = schema.properties!.spec;
    const rules = (n: SchemaNode) => (n['x-kubernetes-validations'] ?? []).map((r) => r.rule);
    expect(rules(spec.properties!.rateLimit)).toContain('self.burst <= self.requestsPerMinute');
    expect(rules(spec.properties!.rateLimit.properties!.routes.items!)).toContain(
      'self.burst <= self.requestsPerMinute',
    );
    expect(rules(spec.properties!.tenantId)).toEqual(['self == oldSelf']);
    expect(rules(spec)).toContain('!has(oldSelf.tenantId) || has(self.tenantId)');
    for (const r of spec.properties!.rateLimit['x-kubernetes-validations']!)
      expect(r.message).toContain('spec.rateLimit.burst');
  });

  it('refuses tenant names the zod schema refuses, with a CEL rule on the root (metadata cannot carry one)', () => {
    expect(schema['x-kubernetes-validations']).toContainEqual(TENANT_NAME_RULE);
    expect(schema.properties!.metadata).toEqual({ type: 'object' });
    const pattern = /matches\('([^']+)'\)/.exec(TENANT_NAME_RULE.rule)![1];
    const max = Number(/size\(self\.metadata\.name\) <= (\d+)/.exec(TENANT_NAME_RULE.rule)![1]);
    const cel = (name: string) => name.length <= max && new RegExp(pattern).test(name);
    const zod = (name: string) => aegisTenantSchema.shape.metadata.safeParse({ name }).success;
    for (const name of [
      'acme',
      'a',
      'acme-corp',
      'acme.corp',
      'Acme',
      '-acme',
      'acme-',
      'a_b',
      'x'.repeat(63),
      'x'.repeat(64),
      '0',
    ])
      expect({ name, cel: cel(name) }).toEqual({ name, cel: zod(name) });
  });

  it('has the status subresource, short name at, the printer columns and namespaced scope', () => {
    const crd = aegisTenantCrd() as {
      spec: {
        scope: string;
        names: { shortNames: string[] };
        versions: {
          subresources: unknown;
          additionalPrinterColumns: { name: string; priority?: number }[];
        }[];
      };
    };
    expect(crd.spec.scope).toBe('Namespaced');
    expect(crd.spec.names.shortNames).toEqual(['at']);
    expect(crd.spec.versions[0].subresources).toEqual({ status: {} });
    const shown = crd.spec.versions[0].additionalPrinterColumns.filter((c) => !c.priority).map((c) => c.name);
    expect(shown).toEqual(['Tenant ID', 'Requests/min', 'Programmed', 'Age']);
  });

  it('refuses a zod schema a CRD could not carry, or an overlay path that matches nothing', () => {
    const either = z.union([z.object({ s: z.string() }), z.object({ n: z.number() })]).describe('x');
    expect(() => toStructuralSchema(z.object({ a: either }).describe('y'))).toThrow(
      /a: anyOf is not structural/,
    );
    expect(() =>
      toStructuralSchema(z.object({ a: z.string().nullable().describe('x') }).describe('y')),
    ).toThrow(/^a: /);
    expect(() => toStructuralSchema(z.object({ a: z.string() }).describe('y'))).toThrow(
      /without a description: a/,
    );
    expect(() => toStructuralSchema(z.object({}).describe('y'), { nope: { maxLength: 1 } })).toThrow(
      /match no field/,
    );
  });
});

describe('the sample tenants', () => {
  it('are valid AegisTenants by the shared zod schema', () => {
    const tenants = sampleFiles()
      .flatMap((f) => f.objects)
      .filter((o) => o.kind === 'AegisTenant');
    expect(tenants.map((t) => (t.metadata as { name: string }).name)).toEqual(['acme', 'globex']);
    for (const t of tenants) expect(aegisTenantSchema.safeParse(t).success).toBe(true);
  });

  it('parse back from the committed YAML', () => {
    const text = fs.readFileSync(path.join(configDir, 'samples', 'acme.yaml'), 'utf8');
    const docs = parseAllDocuments(text).map((d) => d.toJS() as { kind: string });
    expect(docs.map((d) => d.kind)).toEqual(['Secret', 'AegisTenant']);
  });
});
