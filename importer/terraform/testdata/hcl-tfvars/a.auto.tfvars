topic_name = "from-a-auto"
table_name = "from-a-auto"
retention  = 1209600
