variable "public_ports" {
  default = [443, 22]
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = aws_vpc.main.id

  dynamic "ingress" {
    for_each = var.public_ports
    content {
      protocol    = "tcp"
      from_port   = ingress.value
      to_port     = ingress.value
      cidr_blocks = ["0.0.0.0/0"]
      description = "rule ${ingress.key}"
    }
  }

  dynamic "egress" {
    for_each = { all = "0.0.0.0/0" }
    iterator = rule
    content {
      protocol    = "-1"
      from_port   = 0
      to_port     = 0
      cidr_blocks = [rule.value]
    }
  }
}

resource "aws_instance" "web" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  vpc_security_group_ids = [aws_security_group.web.id]
}

variable "opaque_ports" {}

resource "aws_security_group" "opaque" {
  name   = "opaque"
  vpc_id = aws_vpc.main.id

  dynamic "ingress" {
    for_each = var.opaque_ports
    content {
      protocol  = "tcp"
      from_port = ingress.value
      to_port   = ingress.value
    }
  }
}
