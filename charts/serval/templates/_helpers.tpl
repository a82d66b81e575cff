{{/* The chart's name, overridable. */}}
{{- define "serval.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release's full name: the prefix of every object the chart creates. */}}
{{- define "serval.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "serval.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "serval.selectorLabels" -}}
app.kubernetes.io/name: {{ include "serval.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end -}}

{{- define "serval.labels" -}}
helm.sh/chart: {{ include "serval.chart" . }}
{{ include "serval.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: serval
{{- end -}}

{{- define "serval.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "serval.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "serval.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* The external metrics API: its Service, and the TLS Secret it serves with. */}}
{{- define "serval.metricsApiName" -}}
{{- printf "%s-metrics-api" (include "serval.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "serval.metricsApiSecret" -}}
{{- printf "%s-metrics-api-tls" (include "serval.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- /*
  What the operator reconciles. Each verb is one the operator sends (the chart's tests record its requests against
  an API server and check them against these rules); nothing is a wildcard.
*/}}
{{- define "serval.operatorRules" }}
- apiGroups: [serving.serval.dev]
  resources: [inferenceservices]
  verbs: [list, watch]
# Status is replaced through the status subresource, guarded by the object's resourceVersion.
- apiGroups: [serving.serval.dev]
  resources: [inferenceservices/status]
  verbs: [update]
# Children are written with server-side apply: a patch, which the API server also authorizes as create when the
# object does not exist yet; old revisions are deleted after a promotion.
- apiGroups: [apps]
  resources: [deployments]
  verbs: [list, watch, create, patch, delete]
# The autoscaler sets a revision's replicas to its decision through the scale subresource at once, instead of
# waiting for the HPA's next sync (serval-operator run --scale-directly, on by default).
- apiGroups: [apps]
  resources: [deployments/scale]
  verbs: [patch]
- apiGroups: [""]
  resources: [services]
  verbs: [list, watch, create, patch, delete]
- apiGroups: [autoscaling]
  resources: [horizontalpodautoscalers]
  verbs: [list, watch, create, patch, delete]
- apiGroups: [policy]
  resources: [poddisruptionbudgets]
  verbs: [list, watch, create, patch, delete]
- apiGroups: [gateway.networking.k8s.io]
  resources: [httproutes]
  verbs: [list, watch, create, patch, delete]
# Pods are read to say why a revision is not ready; the smoke test reads its requests from a ConfigMap.
- apiGroups: [""]
  resources: [pods]
  verbs: [list, watch]
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get]
- apiGroups: [events.k8s.io]
  resources: [events]
  verbs: [create, patch]
{{- end }}
