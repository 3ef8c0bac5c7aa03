# The CDN in front of what every visitor's browser loads: the tracker script (served by the ingest
# receiver at /js/script.js) and the dashboard's fingerprinted static assets (/_next/static/*).
# cdn.<prefix><domain> → CloudFront; pages, /api and event POSTs never go through it (they are
# private or must reach the receiver with the visitor's address).

locals {
  app_host    = "app.${var.hostname_prefix}${var.domain}"
  ingest_host = "ingest.${var.hostname_prefix}${var.domain}"
  cdn_host    = "cdn.${var.hostname_prefix}${var.domain}"
}

data "aws_cloudfront_cache_policy" "optimized" {
  name = "Managed-CachingOptimized"
}

data "aws_cloudfront_cache_policy" "disabled" {
  name = "Managed-CachingDisabled"
}

resource "aws_acm_certificate" "cdn" {
  provider          = aws.us_east_1
  domain_name       = local.cdn_host
  validation_method = "DNS"
  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_acm_certificate_validation" "cdn" {
  provider                = aws.us_east_1
  certificate_arn         = aws_acm_certificate.cdn.arn
  validation_record_fqdns = [for r in aws_route53_record.cdn_validation : r.fqdn]
}

resource "aws_cloudfront_distribution" "cdn" {
  enabled         = true
  is_ipv6_enabled = true
  comment         = "Sightline ${var.environment}: tracker script and dashboard static assets"
  aliases         = [local.cdn_host]
  price_class     = "PriceClass_100"
  http_version    = "http2and3"

  origin {
    origin_id   = "ingest"
    domain_name = local.ingest_host
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  origin {
    origin_id   = "app"
    domain_name = local.app_host
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  # The tracker: cached at the edge for as long as the receiver's Cache-Control says.
  ordered_cache_behavior {
    path_pattern           = "/js/*"
    target_origin_id       = "ingest"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    viewer_protocol_policy = "redirect-to-https"
    compress               = true
    cache_policy_id        = data.aws_cloudfront_cache_policy.optimized.id
  }

  # Fingerprinted, immutable build assets.
  ordered_cache_behavior {
    path_pattern           = "/_next/static/*"
    target_origin_id       = "app"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    viewer_protocol_policy = "redirect-to-https"
    compress               = true
    cache_policy_id        = data.aws_cloudfront_cache_policy.optimized.id
  }

  # Anything else is not meant to be served from the CDN host: passed through uncached.
  default_cache_behavior {
    target_origin_id       = "app"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    viewer_protocol_policy = "redirect-to-https"
    cache_policy_id        = data.aws_cloudfront_cache_policy.disabled.id
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    acm_certificate_arn      = aws_acm_certificate_validation.cdn.certificate_arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }
}
