# The backup CronJobs' role (IRSA): only the `sightline-backup` service account of the namespace
# can assume it, and it may write, read and list under the backups bucket and use the key — not
# delete: old backups go by the lifecycle rule only, so a stolen token cannot wipe them.

data "aws_iam_policy_document" "backup_assume" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [var.eks_oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.eks_oidc_provider_url}:sub"
      values   = ["system:serviceaccount:${var.kubernetes_namespace}:${var.backup_service_account}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.eks_oidc_provider_url}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "backup" {
  name                 = "sightline-backup-${var.environment}"
  description          = "Sightline backup CronJobs (IRSA)"
  assume_role_policy   = data.aws_iam_policy_document.backup_assume.json
  max_session_duration = 14400
}

data "aws_iam_policy_document" "backup" {
  statement {
    sid       = "ListBackups"
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.store["backups"].arn]
  }
  statement {
    sid       = "ReadWriteBackups"
    effect    = "Allow"
    actions   = ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
    resources = ["${aws_s3_bucket.store["backups"].arn}/*"]
  }
  statement {
    sid       = "UseStorageKey"
    effect    = "Allow"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [aws_kms_key.storage.arn]
  }
}

resource "aws_iam_role_policy" "backup" {
  name   = "backups-bucket"
  role   = aws_iam_role.backup.id
  policy = data.aws_iam_policy_document.backup.json
}
