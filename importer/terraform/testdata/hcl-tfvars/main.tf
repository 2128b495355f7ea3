resource "aws_s3_bucket" "b" {
  bucket = var.bucket_name
  tags   = var.tags
}

resource "aws_sqs_queue" "q" {
  name                      = var.queue_name
  message_retention_seconds = var.retention
}

resource "aws_sns_topic" "t" {
  name = var.topic_name
}

resource "aws_dynamodb_table" "d" {
  name = var.table_name
}
