variable "bucket_name" {
  default = "from-default"
}

variable "versioned" {
  type    = bool
  default = false
}

variable "queue_name" {
  default = "from-default"
}

variable "topic_name" {
  default = "from-default"
}

variable "table_name" {
  default = "from-default"
}

variable "retention" {
  type    = number
  default = 1
}

variable "tags" {
  type    = map(string)
  default = {}
}
