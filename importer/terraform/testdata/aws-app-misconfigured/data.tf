resource "aws_security_group" "db" {
  name   = "${local.name}-db"
  vpc_id = module.network.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "db_from_app" {
  security_group_id            = aws_security_group.db.id
  ip_protocol                  = "tcp"
  from_port                    = local.db_port
  to_port                      = local.db_port
  referenced_security_group_id = aws_security_group.app.id
}

resource "aws_db_subnet_group" "main" {
  name       = local.name
  subnet_ids = module.network.private_subnet_ids
}

resource "aws_db_instance" "main" {
  identifier              = "${local.name}-db"
  engine                  = "postgres"
  instance_class          = "db.t4g.medium"
  allocated_storage       = 50
  db_subnet_group_name    = aws_db_subnet_group.main.name
  vpc_security_group_ids  = [aws_security_group.db.id]
  storage_encrypted       = false
  publicly_accessible     = true
  multi_az                = true
  backup_retention_period = local.backup_days
  deletion_protection     = true
  manage_master_user_password = true
  enabled_cloudwatch_logs_exports = ["postgresql"]
}

resource "aws_kms_key" "main" {
  description         = "${local.name} data key"
  enable_key_rotation = true
}

resource "aws_secretsmanager_secret" "db" {
  name       = "${local.name}/db"
  kms_key_id = aws_kms_key.main.arn
}

resource "aws_s3_bucket" "assets" {
  bucket = local.assets_name
}

resource "aws_s3_bucket_public_access_block" "assets" {
  bucket                  = aws_s3_bucket.assets.id
  block_public_acls       = false
  block_public_policy     = false
  ignore_public_acls      = false
  restrict_public_buckets = false
}

resource "aws_s3_bucket_acl" "assets" {
  bucket = aws_s3_bucket.assets.id
  acl    = "public-read"
}

resource "aws_s3_bucket_versioning" "assets" {
  bucket = aws_s3_bucket.assets.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_logging" "assets" {
  bucket        = aws_s3_bucket.assets.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "assets/"
}

resource "aws_s3_bucket" "logs" {
  bucket = "${local.name}-logs"
}

resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id

  versioning_configuration {
    status = "Enabled"
  }
}
