variable "names" {
  default = ["orders", "invoices"]
}

module "queue" {
  source = "./modules/queue"
  count  = 2
  name   = "counted-${count.index}"
}

module "named" {
  source   = "./modules/queue"
  for_each = toset(var.names)
  name     = each.key
  fifo     = each.value == "orders"
}

variable "opaque" {}

module "opaque" {
  source   = "./modules/queue"
  for_each = var.opaque
  name     = "opaque"
}

module "none" {
  source = "./modules/queue"
  count  = 0
  name   = "none"
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::123456789012:role/worker"
  runtime       = "python3.12"
  handler       = "app.handler"
}

resource "aws_lambda_event_source_mapping" "orders" {
  event_source_arn = module.named["orders"].arn
  function_name    = aws_lambda_function.worker.arn
}

resource "aws_lambda_event_source_mapping" "first" {
  event_source_arn = module.queue[0].arn
  function_name    = aws_lambda_function.worker.arn
}
