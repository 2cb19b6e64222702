{{/* Generated from k8s/src by `npm run chart -w @aegis/k8s`. Do not edit. */}}
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
