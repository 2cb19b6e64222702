import { canonicalJson } from '@aegis/common';

/** Merging the `components` of several OpenAPI documents into one: a name that every declaring
 * document declares the same way (and whose references are merged the same way) keeps its name; a
 * name declared differently is prefixed with its owner (`auth.User`, `ingestion.User`), except in
 * the first owner's declaration (the gateway's: its `bearer` stays `bearer`). Pure. */

/** An owner's components by kind (`schemas`, `securitySchemes`, `responses`, ...) and name. */
export type Components = Record<string, Record<string, unknown>>;

export interface ComponentOwner {
  owner: string;
  components: Components;
}

const REF = /^#\/components\/([^/]+)\/(.+)$/;

/** Every `#/components/<kind>/<name>` a value refers to. */
function refsOf(value: unknown, out: [string, string][] = []): [string, string][] {
  if (Array.isArray(value)) for (const v of value) refsOf(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const m = k === '$ref' && typeof v === 'string' ? REF.exec(v) : null;
      if (m) out.push([m[1], m[2]]);
      else refsOf(v, out);
    }
  }
  return out;
}

/** How one owner's component names read in the merged document. */
export interface ComponentNaming {
  /** The merged name of `kind`/`name` as `owner` declared (or referred to) it. */
  name(owner: string, kind: string, name: string): string;
  /** The owner's value with every `$ref` into components renamed. */
  rewrite(owner: string, value: unknown): unknown;
  /** The merged `components` object. */
  components: Components;
}

const key = (kind: string, name: string) => `${kind}\u0000${name}`;

/** `owners[0]`'s declarations keep their names; see the file comment for the others. */
export function mergeComponents(owners: readonly ComponentOwner[]): ComponentNaming {
  // Who declares what, as canonical JSON.
  const declared = new Map<string, Map<string, unknown>>();
  for (const { owner, components } of owners) {
    for (const [kind, entries] of Object.entries(components)) {
      for (const [name, value] of Object.entries(entries ?? {})) {
        const k = key(kind, name);
        if (!declared.has(k)) declared.set(k, new Map());
        declared.get(k)!.set(owner, value);
      }
    }
  }
  // Who keeps the plain name: the declarations equal to the preferred one (the first owner's, when
  // it declares the name; otherwise the one all declarations agree on). An owner keeps it only while
  // everything its declaration refers to keeps its plain name for that owner too (else the same text
  // would point at different things).
  const preferred = owners[0]?.owner;
  const plain = new Map<string, Set<string>>();
  for (const [k, byOwner] of declared) {
    const texts = new Map([...byOwner].map(([owner, value]) => [owner, canonicalJson(value)]));
    const distinct = new Set(texts.values());
    const reference =
      preferred !== undefined && texts.has(preferred)
        ? texts.get(preferred)
        : distinct.size === 1
          ? [...distinct][0]
          : undefined;
    plain.set(k, new Set([...texts].filter(([, text]) => text === reference).map(([owner]) => owner)));
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const [k, keepers] of plain) {
      for (const owner of keepers) {
        const refs = refsOf(declared.get(k)!.get(owner));
        if (refs.some(([kind, n]) => !plain.get(key(kind, n))?.has(owner))) {
          keepers.delete(owner);
          changed = true;
        }
      }
    }
  }

  const name = (owner: string, kind: string, n: string) =>
    plain.get(key(kind, n))?.has(owner) ? n : `${owner}.${n}`;
  const rewrite = (owner: string, value: unknown): unknown => {
    if (Array.isArray(value)) return value.map((v) => rewrite(owner, v));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const m = k === '$ref' && typeof v === 'string' ? REF.exec(v) : null;
        out[k] = m ? `#/components/${m[1]}/${name(owner, m[1], m[2])}` : rewrite(owner, v);
      }
      return out;
    }
    return value;
  };

  const components: Components = {};
  for (const [k, byOwner] of declared) {
    const [kind, n] = k.split('\u0000') as [string, string];
    const target = (components[kind] ??= {});
    for (const [owner, value] of byOwner) target[name(owner, kind, n)] = rewrite(owner, value);
  }
  for (const kind of Object.keys(components)) {
    components[kind] = Object.fromEntries(
      Object.entries(components[kind]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  }
  return { name, rewrite, components };
}

/** Renames the scheme names of security requirements (`[{ bearer: [] }]`) the way `naming` does. */
export function renameSecurity(
  naming: Pick<ComponentNaming, 'name'>,
  owner: string,
  security: readonly Record<string, unknown>[],
): Record<string, unknown>[] {
  return security.map((requirement) =>
    Object.fromEntries(
      Object.entries(requirement).map(([scheme, scopes]) => [
        naming.name(owner, 'securitySchemes', scheme),
        scopes,
      ]),
    ),
  );
}
