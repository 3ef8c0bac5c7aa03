# Object storage for backups (deploy/k8s/backups, libs/backup) and for data exports: encrypted with
# a customer-managed KMS key, versioned, no public access, TLS-only, objects expire after
# var.backup_retention_days, unfinished multipart uploads are cleaned up after a day.
# deploy/terraform/terraform.spec.ts asserts every one of these rules on both buckets.

locals {
  name    = "sightline-${var.environment}"
  buckets = { backups = "sightline-backups-${var.environment}", exports = "sightline-exports-${var.environment}" }
}

resource "aws_kms_key" "storage" {
  description             = "Sightline ${var.environment}: backups and exports"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_kms_alias" "storage" {
  name          = "alias/${local.name}-storage"
  target_key_id = aws_kms_key.storage.key_id
}

resource "aws_s3_bucket" "store" {
  for_each = local.buckets
  bucket   = each.value
}

resource "aws_s3_bucket_ownership_controls" "store" {
  for_each = aws_s3_bucket.store
  bucket   = each.value.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "store" {
  for_each                = aws_s3_bucket.store
  bucket                  = each.value.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "store" {
  for_each = aws_s3_bucket.store
  bucket   = each.value.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "store" {
  for_each = aws_s3_bucket.store
  bucket   = each.value.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.storage.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "store" {
  for_each = aws_s3_bucket.store
  bucket   = each.value.id

  rule {
    id     = "expire-after-retention"
    status = "Enabled"
    filter {}
    expiration {
      days = var.backup_retention_days
    }
    noncurrent_version_expiration {
      noncurrent_days = var.backup_retention_days
    }
  }

  rule {
    id     = "abort-incomplete-multipart-uploads"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.store]
}

# Refuse any request that is not over TLS, and any upload that asks for another encryption.
data "aws_iam_policy_document" "store" {
  for_each = aws_s3_bucket.store

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [each.value.arn, "${each.value.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  statement {
    sid       = "DenyOldTls"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [each.value.arn, "${each.value.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "NumericLessThan"
      variable = "s3:TlsVersion"
      values   = ["1.2"]
    }
  }
}

resource "aws_s3_bucket_policy" "store" {
  for_each = aws_s3_bucket.store
  bucket   = each.value.id
  policy   = data.aws_iam_policy_document.store[each.key].json

  depends_on = [aws_s3_bucket_public_access_block.store]
}
