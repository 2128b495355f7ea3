locals {
  name         = "${var.project}-${var.environment}"
  app_port     = 8080
  db_port      = 5432
  backup_days  = 0
  assets_name  = "${local.name}-assets"
}

data "aws_caller_identity" "current" {}

module "network" {
  source        = "../aws-app/modules/network"
  name          = local.name
  cidr          = var.vpc_cidr
  azs           = var.azs
  public_cidrs  = ["10.0.0.0/24", "10.0.1.0/24"]
  private_cidrs = ["10.0.10.0/24", "10.0.11.0/24"]
}

module "monitoring" {
  source  = "terraform-aws-modules/cloudwatch/aws"
  version = "~> 5.0"
}
