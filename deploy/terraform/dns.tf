# DNS in the existing hosted zone: app. and ingest. → the cluster's ingress load balancer (their TLS
# certificates come from cert-manager in the cluster), cdn. → CloudFront.

data "aws_route53_zone" "main" {
  name         = var.domain
  private_zone = false
}

resource "aws_route53_record" "app" {
  zone_id = data.aws_route53_zone.main.zone_id
  name    = local.app_host
  type    = "CNAME"
  ttl     = 300
  records = [var.ingress_load_balancer_hostname]
}

resource "aws_route53_record" "ingest" {
  zone_id = data.aws_route53_zone.main.zone_id
  name    = local.ingest_host
  type    = "CNAME"
  ttl     = 300
  records = [var.ingress_load_balancer_hostname]
}

resource "aws_route53_record" "cdn" {
  for_each = toset(["A", "AAAA"])
  zone_id  = data.aws_route53_zone.main.zone_id
  name     = local.cdn_host
  type     = each.value
  alias {
    name                   = aws_cloudfront_distribution.cdn.domain_name
    zone_id                = aws_cloudfront_distribution.cdn.hosted_zone_id
    evaluate_target_health = false
  }
}

resource "aws_route53_record" "cdn_validation" {
  for_each = {
    for o in aws_acm_certificate.cdn.domain_validation_options : o.domain_name => o
  }
  zone_id         = data.aws_route53_zone.main.zone_id
  name            = each.value.resource_record_name
  type            = each.value.resource_record_type
  ttl             = 300
  records         = [each.value.resource_record_value]
  allow_overwrite = true
}
