import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { z } from 'zod';
import { REPO_ROOT } from '../paths';
import { buildApp, type SynthInputs } from '../synth';
import { resolveValues, valuesObjectSchema } from '../values';
import { renderTemplate } from './render';

/** charts/aegis, generated from the cdk8s app (never edited by hand; a test fails when it is stale). */
export const CHART_DIR = path.join(REPO_ROOT, 'charts', 'aegis');
export const CHART_VERSION = (
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'k8s', 'package.json'), 'utf8')) as { version: string }
).version;

/** YAML 1.1, as Kubernetes and Helm read it. */
const YAML_11 = { lineWidth: 0, version: '1.1' } as const;
const GENERATED = '# Generated from k8s/src by `npm run chart -w @aegis/k8s`. Do not edit.';

/** Named templates the placeholders use; each mirrors the TypeScript that computes the concrete value. */
const HELPERS = `{{/* Generated from k8s/src by \`npm run chart -w @aegis/k8s\`. Do not edit. */}}
{{/* The one image of every component: [registry/]repository:tag (k8s/src/constructs/pod.ts imageOf). */}}
{{- define "aegis.image" -}}
{{- if .Values.image.registry -}}
{{ .Values.image.registry }}/{{ .Values.image.repository }}:{{ .Values.image.tag }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag }}
{{- end -}}
{{- end -}}
{{/* SERVICE_CLIENT_SECRET of the Secret aegis-service-credentials, base64: the stored one on an upgrade,
     48 random characters on install (k8s/src/constructs/services.ts addServiceCredentials). */}}
{{- define "aegis.serviceClientSecret" -}}
{{- $stored := (lookup "v1" "Secret" .Release.Namespace "aegis-service-credentials").data | default dict -}}
{{- index $stored "service-client-secret" | default (randAlphaNum 48 | b64enc) -}}
{{- end -}}
{{/* The admission webhook's CA and serving certificate for aegis-operator.<namespace>.svc, base64: the
     stored ones on an upgrade, new ones (10 years) on install; made once per render and shared by the
     Secret and the ValidatingWebhookConfiguration (k8s/src/constructs/webhook.ts). */}}
{{- define "aegis.webhookTls" -}}
{{- if not (hasKey .Values "aegisWebhookTlsGenerated") -}}
{{- $stored := (lookup "v1" "Secret" .Release.Namespace "aegis-operator-webhook-tls").data | default dict -}}
{{- if and (index $stored "tls.crt") (index $stored "tls.key") (index $stored "ca.crt") -}}
{{- $_ := set .Values "aegisWebhookTlsGenerated" (dict "crt" (index $stored "tls.crt") "key" (index $stored "tls.key") "ca" (index $stored "ca.crt")) -}}
{{- else -}}
{{- $host := printf "aegis-operator.%s.svc" .Release.Namespace -}}
{{- $ca := genCA "aegis-operator-webhook-ca" 3650 -}}
{{- $cert := genSignedCert $host nil (list $host (printf "%s.cluster.local" $host)) 3650 $ca -}}
{{- $_ := set .Values "aegisWebhookTlsGenerated" (dict "crt" ($cert.Cert | b64enc) "key" ($cert.Key | b64enc) "ca" ($ca.Cert | b64enc)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- define "aegis.webhookTls.crt" -}}{{- include "aegis.webhookTls" . -}}{{- .Values.aegisWebhookTlsGenerated.crt -}}{{- end -}}
{{- define "aegis.webhookTls.key" -}}{{- include "aegis.webhookTls" . -}}{{- .Values.aegisWebhookTlsGenerated.key -}}{{- end -}}
{{- define "aegis.webhookTls.ca" -}}{{- include "aegis.webhookTls" . -}}{{- .Values.aegisWebhookTlsGenerated.ca -}}{{- end -}}
`;

const NOTES = `AEGIS is installed in namespace {{ .Release.Namespace }}.

Onboard a tenant:   kubectl -n {{ .Release.Namespace }} apply -f operator/config/samples/
Read its status:    kubectl -n {{ .Release.Namespace }} get aegistenants
The gateway:        kubectl -n {{ .Release.Namespace }} port-forward svc/aegis-gateway 8000:8000
{{- if .Values.ingress.enabled }}
                    or http://{{ .Values.ingress.host }}/
{{- end }}

The Secret {{ .Values.secrets.name }} must exist (see docs/kubernetes.md).
`;

/** values.yaml: the defaults of the values schema, each top-level key with its description. */
function valuesYaml(): string {
  const defaults = resolveValues({}) as Record<string, unknown>;
  const parts = [
    GENERATED,
    '# Every value is checked against values.schema.json (from k8s/src/values.ts).',
    '',
  ];
  for (const [key, value] of Object.entries(defaults)) {
    const description = valuesObjectSchema.shape[key as keyof typeof valuesObjectSchema.shape]?.description;
    if (description) parts.push(`# ${description}`);
    parts.push(stringify({ [key]: value }, YAML_11).trimEnd());
  }
  return `${parts.join('\n')}\n`;
}

/** values.schema.json: what `helm install` accepts, from the same zod schema. */
function valuesSchemaJson(): string {
  const schema = z.toJSONSchema(valuesObjectSchema, {
    io: 'input',
    target: 'draft-7',
    unrepresentable: 'any',
  });
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** Every file of charts/aegis, by path relative to it. */
export function chartFiles(inputs: SynthInputs = {}): Map<string, string> {
  const built = buildApp(resolveValues({}), 'helm', inputs);
  const files = new Map<string, string>();
  files.set(
    'Chart.yaml',
    `${GENERATED}\n${stringify(
      {
        apiVersion: 'v2',
        name: 'aegis',
        description: 'AEGIS: the API gateway, the tenant operator and the services, on Kubernetes',
        type: 'application',
        version: CHART_VERSION,
        appVersion: CHART_VERSION,
      },
      YAML_11,
    )}`,
  );
  files.set('values.yaml', valuesYaml());
  files.set('values.schema.json', valuesSchemaJson());
  files.set('templates/_helpers.tpl', HELPERS);
  files.set('templates/NOTES.txt', NOTES);

  for (const entry of built.crds.entries) {
    const crd = entry.object.toJson() as { metadata: { name: string } };
    files.set(`crds/${crd.metadata.name}.yaml`, `${GENERATED}\n${stringify(crd, YAML_11)}`);
  }
  const byFile = new Map<string, string[]>();
  for (const entry of built.platform.entries) {
    const body = renderTemplate(entry.object.toJson(), built.binder.placeholders);
    const doc = entry.condition ? `{{- if ${entry.condition} }}\n${body}{{- end }}\n` : body;
    byFile.set(entry.file, [...(byFile.get(entry.file) ?? []), doc]);
  }
  for (const [file, docs] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    files.set(`templates/${file}.yaml`, `${GENERATED}\n${docs.join('---\n')}`);
  }
  return files;
}

/** Writes the chart (removing files it no longer generates). */
export function writeChart(dir = CHART_DIR, inputs: SynthInputs = {}): string[] {
  const files = chartFiles(inputs);
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [rel, text] of files) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return [...files.keys()].sort();
}

/** Files of the chart on disk, by path relative to it. */
export function readChartDir(dir = CHART_DIR): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (sub: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else out.set(rel, fs.readFileSync(path.join(dir, rel), 'utf8'));
    }
  };
  if (fs.existsSync(dir)) walk('');
  return out;
}
