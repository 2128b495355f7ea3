terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
  backend "s3" {
    bucket = "state"
    key    = "app.tfstate"
  }
}

provider "aws" {
  region = "eu-west-1"
}

moved {
  from = aws_s3_bucket.old
  to   = aws_s3_bucket.logs
}

import {
  to = aws_s3_bucket.logs
  id = "logs-bucket"
}

removed {
  from = aws_s3_bucket.gone
  lifecycle {
    destroy = false
  }
}

check "health" {
  data "http" "site" {
    url = "https://example.com"
  }
  assert {
    condition     = data.http.site.status_code == 200
    error_message = "site is down"
  }
}

module "registry" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
}

module "git" {
  source = "git::https://example.com/network.git?ref=v1.2.0"
}

resource "aws_s3_bucket" "logs" {
  bucket = "logs-bucket"
}
