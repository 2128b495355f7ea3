bucket_name = "from-tfvars"
queue_name  = "from-tfvars"
topic_name  = "from-tfvars"
table_name  = "from-tfvars"
