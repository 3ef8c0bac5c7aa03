terraform {
  required_version = ">= 1.6.0, < 2.0.0"

  # Exact provider versions: an upgrade is a reviewed change of this line (and of the lock file
  # that `terraform init` writes on a machine with network access; commit it).
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.82.2"
    }
  }

  # State: configure a remote backend per environment at init time, e.g.
  #   terraform init -backend-config=backend-production.hcl
  # with an S3 bucket + DynamoDB lock table created once by hand (not by this configuration).
}

provider "aws" {
  region = var.region
  default_tags {
    tags = merge(var.tags, { project = "sightline", environment = var.environment })
  }
}

# CloudFront only accepts ACM certificates from us-east-1.
provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
  default_tags {
    tags = merge(var.tags, { project = "sightline", environment = var.environment })
  }
}
