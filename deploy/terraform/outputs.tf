output "backup_bucket" {
  description = "Bucket of the backups: BACKUP_S3_BUCKET of deploy/k8s/backups/config.yaml."
  value       = aws_s3_bucket.store["backups"].bucket
}

output "exports_bucket" {
  description = "Bucket for data exports (same rules as the backups bucket)."
  value       = aws_s3_bucket.store["exports"].bucket
}

output "backup_role_arn" {
  description = "IAM role of the backup CronJobs: the eks.amazonaws.com/role-arn annotation of the sightline-backup service account."
  value       = aws_iam_role.backup.arn
}

output "storage_kms_key_arn" {
  description = "KMS key encrypting both buckets."
  value       = aws_kms_key.storage.arn
}

output "cdn_hostname" {
  description = "The CDN host for the tracker snippet (https://<cdn_hostname>/js/script.js) and static assets."
  value       = local.cdn_host
}

output "cdn_distribution_id" {
  description = "CloudFront distribution id (for cache invalidations after a tracker release)."
  value       = aws_cloudfront_distribution.cdn.id
}
