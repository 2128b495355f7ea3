bucket_name = "from-var-file"
