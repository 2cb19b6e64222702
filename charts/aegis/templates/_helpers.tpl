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
