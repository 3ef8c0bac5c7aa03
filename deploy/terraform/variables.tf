variable "environment" {
  description = "Deployment name: `staging` or `production`. Part of every resource name."
  type        = string
  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "environment must be staging or production."
  }
}

variable "region" {
  description = "AWS region of the buckets, the KMS key and the IAM role (the cluster's region)."
  type        = string
  default     = "eu-central-1"
}

variable "domain" {
  description = "The Route 53 hosted zone that already exists for Sightline, e.g. sightline.example."
  type        = string
}

variable "hostname_prefix" {
  description = "Prefix of the environment's hostnames: empty for production (app.sightline.example), `staging.` for staging (app.staging.sightline.example)."
  type        = string
  default     = ""
}

variable "ingress_load_balancer_hostname" {
  description = "DNS name of the ingress-nginx load balancer (kubectl -n ingress-nginx get svc ingress-nginx-controller): app. and ingest. point at it."
  type        = string
}

variable "eks_oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC provider (IRSA), e.g. arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/ABC."
  type        = string
}

variable "eks_oidc_provider_url" {
  description = "The same provider's URL without https://, e.g. oidc.eks.eu-central-1.amazonaws.com/id/ABC."
  type        = string
}

variable "kubernetes_namespace" {
  description = "Namespace of the backup CronJobs (deploy/k8s)."
  type        = string
  default     = "sightline"
}

variable "backup_service_account" {
  description = "Service account of the backup CronJobs (deploy/k8s/backups/config.yaml)."
  type        = string
  default     = "sightline-backup"
}

variable "backup_retention_days" {
  description = "Days a backup (and an export) is kept before the lifecycle rule deletes it; noncurrent versions are kept as long again."
  type        = number
  default     = 30
  validation {
    condition     = var.backup_retention_days >= 7 && var.backup_retention_days <= 365
    error_message = "backup_retention_days must be between 7 and 365."
  }
}

variable "tags" {
  description = "Extra tags on every resource."
  type        = map(string)
  default     = {}
}
