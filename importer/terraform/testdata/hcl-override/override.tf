locals {
  env = "prod"
}

resource "aws_s3_bucket" "b" {
  acl = "private"

  versioning {
    enabled = true
  }
}

resource "aws_s3_bucket" "missing" {
  bucket = "nothing-to-override"
}
