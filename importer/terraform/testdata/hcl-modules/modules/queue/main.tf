variable "name" {}

variable "fifo" {
  default = false
}

resource "aws_sqs_queue" "this" {
  name       = var.name
  fifo_queue = var.fifo
}

output "arn" {
  value = aws_sqs_queue.this.arn
}
