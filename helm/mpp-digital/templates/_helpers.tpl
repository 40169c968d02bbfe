{{- define "mpp.name" -}}{{ .Release.Name }}-mpp{{- end -}}

{{- define "mpp.labels" -}}
app.kubernetes.io/name: mpp-digital
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels of one component: web, worker, beat, migrate, setup. */}}
{{- define "mpp.selector" -}}
app.kubernetes.io/name: mpp-digital
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "mpp.image" -}}
image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
imagePullPolicy: {{ .Values.image.pullPolicy }}
{{- end -}}

{{/* Environment of every container: settings, the storage choice, then the Secret. */}}
{{- define "mpp.env" -}}
- name: MPP_ENV
  value: production
- name: MPP_BASE_DOMAIN
  value: {{ .Values.baseDomain | quote }}
{{- if eq .Values.storage.type "filesystem" }}
- name: MPP_STORAGE
  value: filesystem
- name: MPP_PRIVATE_ROOT
  value: {{ .Values.storage.filesystem.mountPath | quote }}
{{- else if eq .Values.storage.type "s3" }}
- name: MPP_STORAGE
  value: s3
- name: MPP_S3_BUCKET
  value: {{ required "storage.s3.bucket is required when storage.type is s3" .Values.storage.s3.bucket | quote }}
{{- with .Values.storage.s3.endpointUrl }}
- name: MPP_S3_ENDPOINT_URL
  value: {{ . | quote }}
{{- end }}
{{- with .Values.storage.s3.region }}
- name: MPP_S3_REGION
  value: {{ . | quote }}
{{- end }}
{{- with .Values.storage.s3.prefix }}
- name: MPP_S3_PREFIX
  value: {{ . | quote }}
{{- end }}
{{- else }}
{{- fail "storage.type must be filesystem or s3" }}
{{- end }}
{{- range $k, $v := .Values.env }}
- name: {{ $k }}
  value: {{ $v | quote }}
{{- end }}
{{- end -}}

{{- define "mpp.envFrom" -}}
- secretRef:
    name: {{ .Values.existingSecret }}
{{- end -}}

{{/* Pod-level settings shared by every workload. */}}
{{- define "mpp.podSpec" -}}
automountServiceAccountToken: false
securityContext: {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity: {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{- define "mpp.filesClaim" -}}
{{- .Values.storage.filesystem.existingClaim | default (printf "%s-files" (include "mpp.name" .)) -}}
{{- end -}}

{{/* The shared file volume (filesystem storage only) and a writable /tmp (read-only root). */}}
{{- define "mpp.volumes" -}}
- name: tmp
  emptyDir:
    {{- with .tmpSize }}
    sizeLimit: {{ . }}
    {{- end }}
{{- if and .files (eq .root.Values.storage.type "filesystem") }}
- name: files
  persistentVolumeClaim:
    claimName: {{ include "mpp.filesClaim" .root }}
{{- end }}
{{- end -}}

{{- define "mpp.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if and .files (eq .root.Values.storage.type "filesystem") }}
- name: files
  mountPath: {{ .root.Values.storage.filesystem.mountPath }}
{{- end }}
{{- end -}}
