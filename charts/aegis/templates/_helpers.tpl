{{/* Generated from k8s/src by `npm run chart -w @aegis/k8s`. Do not edit. */}}
{{/* The one image of every component: [registry/]repository:tag (k8s/src/constructs/pod.ts imageOf). */}}
{{- define "aegis.image" -}}
{{- if .Values.image.registry -}}
{{ .Values.image.registry }}/{{ .Values.image.repository }}:{{ .Values.image.tag }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag }}
{{- end -}}
{{- end -}}
