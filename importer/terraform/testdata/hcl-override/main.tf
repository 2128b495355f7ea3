locals {
  env = "dev"
}

variable "bucket_name" {
  default = "base-name"
}

resource "aws_s3_bucket" "b" {
  bucket = "${var.bucket_name}-${local.env}"
  acl    = "public-read"

  versioning {
    enabled = false
  }
}

resource "aws_security_group" "g" {
  name = "g"

  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
}

output "name" {
  value = aws_s3_bucket.b.bucket
}
