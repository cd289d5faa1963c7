{{/*
Names and labels shared by every template. Names are cut to 63 characters, the limit of DNS labels that Kubernetes
applies to object names and label values.
*/}}

{{- define "slipway.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release's base name: the release name alone when it already contains the chart name ("slipway"). */}}
{{- define "slipway.fullname" -}}
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

{{- define "slipway.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels that select pods: stable across upgrades, so they never change a Deployment's immutable selector. */}}
{{- define "slipway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "slipway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "slipway.labels" -}}
helm.sh/chart: {{ include "slipway.chart" . }}
{{ include "slipway.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "slipway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "slipway.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "slipway.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{/* The control plane's in-cluster URL, which serving pods follow for endpoint specs and model downloads. */}}
{{- define "slipway.controlPlaneUrl" -}}
{{- .Values.serving.controlPlaneUrl | default (printf "http://%s:%v" (include "slipway.fullname" .) .Values.controlPlane.service.httpPort) -}}
{{- end -}}

{{/* The name of one endpoint's serving objects; called with (dict "root" $ "endpoint" $endpoint). */}}
{{- define "slipway.servingName" -}}
{{- printf "%s-serve-%s" (include "slipway.fullname" .root) (.endpoint.name | lower | replace "_" "-" | replace "." "-") | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Pod and container security settings shared by every Deployment. */}}
{{- define "slipway.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser }}
runAsGroup: {{ .Values.securityContext.runAsUser }}
fsGroup: {{ .Values.securityContext.runAsUser }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "slipway.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
{{- end -}}

{{/* HTTP probes on the REST port: readiness asks whether the pod can do its work, liveness only whether it answers. */}}
{{- define "slipway.probes" -}}
startupProbe:
  httpGet:
    path: /health/live
    port: http
  periodSeconds: 5
  failureThreshold: {{ .Values.probes.startupFailureThreshold }}
readinessProbe:
  httpGet:
    path: /health/ready
    port: http
  periodSeconds: {{ .Values.probes.periodSeconds }}
  timeoutSeconds: {{ .Values.probes.timeoutSeconds }}
  failureThreshold: 3
livenessProbe:
  httpGet:
    path: /health/live
    port: http
  periodSeconds: {{ .Values.probes.periodSeconds }}
  timeoutSeconds: {{ .Values.probes.timeoutSeconds }}
  failureThreshold: 6
{{- end -}}

{{/*
Where artifacts and inference logs go, and the object-store settings and credentials to reach it: the control plane's
artifact store, which serving pods with an inference log write to as well. Credentials only ever come from Secrets.
*/}}
{{- define "slipway.objectStoreEnv" -}}
{{- $cp := .Values.controlPlane -}}
{{- if $cp.artifacts.destination }}
- name: SLIPWAY_ARTIFACTS_DESTINATION
  value: {{ $cp.artifacts.destination | quote }}
{{- end }}
{{- if $cp.s3.existingSecret }}
- name: AWS_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ $cp.s3.existingSecret }}
      key: {{ $cp.s3.accessKeyIdKey }}
- name: AWS_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $cp.s3.existingSecret }}
      key: {{ $cp.s3.secretAccessKeyKey }}
{{- end }}
{{- if $cp.s3.region }}
- name: Slipway__Artifacts__S3__Region
  value: {{ $cp.s3.region | quote }}
{{- end }}
{{- if $cp.s3.serviceUrl }}
- name: Slipway__Artifacts__S3__ServiceUrl
  value: {{ $cp.s3.serviceUrl | quote }}
{{- end }}
{{- if $cp.s3.forcePathStyle }}
- name: Slipway__Artifacts__S3__ForcePathStyle
  value: "true"
{{- end }}
{{- if $cp.azure.existingSecret }}
- name: AZURE_STORAGE_CONNECTION_STRING
  valueFrom:
    secretKeyRef:
      name: {{ $cp.azure.existingSecret }}
      key: {{ $cp.azure.connectionStringKey }}
{{- end }}
{{- end -}}

{{/*
Refuses values that would leave the control plane open, unable to start, or signing users out between replicas. Every
message names the value to set, since `helm install` shows nothing else.
*/}}
{{- define "slipway.checkAuth" -}}
{{- $auth := .Values.auth -}}
{{- if $auth.enabled }}
{{- if $auth.insecureNoAuth }}
{{- fail "auth.insecureNoAuth=true contradicts auth.enabled=true: set auth.enabled=false to run without authentication, or drop auth.insecureNoAuth" }}
{{- end }}
{{- if and (not $auth.adminPasswordSecret.name) (not $auth.oidc.authority) }}
{{- fail "auth.enabled=true needs auth.adminPasswordSecret.name: a Secret holding the first administrator's password (SLIPWAY_ADMIN_PASSWORD, at least 12 characters), e.g. kubectl create secret generic slipway-admin --from-literal=password=..." }}
{{- end }}
{{- if and $auth.adminPasswordSecret.name (not $auth.adminPasswordSecret.key) }}
{{- fail "auth.adminPasswordSecret.key must name the Secret's key holding the password" }}
{{- end }}
{{- if not (has $auth.defaultPermission (list "READ" "EDIT" "MANAGE" "NO_PERMISSIONS")) }}
{{- fail (printf "auth.defaultPermission must be READ, EDIT, MANAGE or NO_PERMISSIONS (got %v)" $auth.defaultPermission) }}
{{- end }}
{{- if and $auth.oidc.authority (not $auth.oidc.audience) }}
{{- fail "auth.oidc.authority needs auth.oidc.audience: the client id the identity provider puts in the tokens' aud claim" }}
{{- end }}
{{- if and (gt (int .Values.controlPlane.replicas) 1) (not $auth.keysVolume.claimName) }}
{{- fail "controlPlane.replicas > 1 with auth on needs auth.keysVolume.claimName: a ReadWriteMany PersistentVolumeClaim where every replica keeps the keys that sign UI sessions (otherwise a session only works on the replica that issued it)" }}
{{- end }}
{{- if and .Values.serviceMonitor.enabled (not $auth.anonymousMetrics) (not .Values.serviceMonitor.bearerTokenSecret.name) }}
{{- fail "serviceMonitor.enabled with auth on needs serviceMonitor.bearerTokenSecret.name (a Secret with a user's token that Prometheus sends as Bearer), or auth.anonymousMetrics=true to leave /metrics open" }}
{{- end }}
{{- else if not $auth.insecureNoAuth }}
{{- fail "auth.enabled=false needs auth.insecureNoAuth=true: without authentication anyone who can reach the Service controls Slipway, so say so explicitly (and close the network with a NetworkPolicy or an authenticating proxy)" }}
{{- end }}
{{- end -}}

{{/* The control plane's authentication settings as `slipway server` reads them: Slipway__Auth__* and the admin's Secret. */}}
{{- define "slipway.authEnv" -}}
{{- $auth := .Values.auth -}}
{{- if $auth.enabled }}
{{- if $auth.adminPasswordSecret.name }}
- name: SLIPWAY_ADMIN_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $auth.adminPasswordSecret.name }}
      key: {{ $auth.adminPasswordSecret.key }}
{{- end }}
- name: Slipway__Auth__DefaultPermission
  value: {{ $auth.defaultPermission | quote }}
{{- if $auth.anonymousMetrics }}
- name: Slipway__Auth__AnonymousMetrics
  value: "true"
{{- end }}
{{- if $auth.oidc.authority }}
- name: Slipway__Auth__Oidc__Authority
  value: {{ $auth.oidc.authority | quote }}
- name: Slipway__Auth__Oidc__Audience
  value: {{ $auth.oidc.audience | quote }}
{{- end }}
{{- if $auth.keysVolume.claimName }}
- name: Slipway__Auth__KeysDirectory
  value: {{ $auth.keysVolume.mountPath | quote }}
{{- end }}
{{- end }}
{{- end -}}
