variable "project" {
  type    = string
  default = "shop"
}

variable "environment" {
  type    = string
  default = "prod"
}

variable "vpc_cidr" {
  default = "10.0.0.0/16"
}

variable "azs" {
  default = ["eu-west-1a", "eu-west-1b"]
}

variable "certificate_arn" {
  default = "arn:aws:acm:eu-west-1:123456789012:certificate/shop"
}

variable "alert_channels" {
  default = ["ops", "security"]
}

# Supplied at apply time; never guessed.
variable "app_image" {
  type = string
}

# Supplied at apply time from the secret store.
variable "cache_auth_token" {
  type      = string
  sensitive = true
}
