# The load balancer, messaging, cache, analytics, GKE and identities, each
# with a deliberate mistake.

# Mistake: no Cloud Armor policy, and Google's default SSL policy (TLS 1.0).
resource "google_compute_global_forwarding_rule" "web" {
  name                  = "fr-web"
  target                = google_compute_target_https_proxy.web.id
  port_range            = "443"
  load_balancing_scheme = "EXTERNAL_MANAGED"
}

resource "google_compute_target_https_proxy" "web" {
  name    = "proxy-web"
  url_map = google_compute_url_map.web.id
}

resource "google_compute_url_map" "web" {
  name            = "urlmap-web"
  default_service = google_compute_backend_service.web.id
}

resource "google_compute_backend_service" "web" {
  name                  = "bes-web"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  backend {
    group = google_compute_region_network_endpoint_group.web.id
  }
}

resource "google_compute_region_network_endpoint_group" "web" {
  name                  = "neg-web"
  region                = var.region
  network_endpoint_type = "SERVERLESS"
  cloud_run {
    service = google_cloud_run_v2_service.web.name
  }
}

resource "google_pubsub_topic" "orders" {
  name = "orders"
}

# Mistake: anyone signed in to Google may publish orders.
resource "google_pubsub_topic_iam_member" "publishers" {
  topic  = google_pubsub_topic.orders.name
  role   = "roles/pubsub.publisher"
  member = "allAuthenticatedUsers"
}

# Mistake: pushes without a token, and no dead-letter topic.
resource "google_pubsub_subscription" "orders" {
  name  = "orders-push"
  topic = google_pubsub_topic.orders.id
  push_config {
    push_endpoint = google_cloud_run_v2_service.web.uri
  }
}

# Mistake: no AUTH and no TLS.
resource "google_redis_instance" "cache" {
  name               = "cache"
  memory_size_gb     = 1
  authorized_network = google_compute_network.main.id
}

# Mistake: every Google account may read the dataset.
resource "google_bigquery_dataset" "analytics" {
  dataset_id = "analytics"
  access {
    role          = "READER"
    special_group = "allAuthenticatedUsers"
  }
}

# Mistake: nodes hand their service account to every pod.
resource "google_container_cluster" "main" {
  name               = "gke-app"
  location           = var.region
  network            = google_compute_network.main.id
  subnetwork         = google_compute_subnetwork.app.id
  initial_node_count = 1
}

resource "google_container_node_pool" "default" {
  name    = "default"
  cluster = google_container_cluster.main.id
  node_config {
    workload_metadata_config {
      mode = "GCE_METADATA"
    }
  }
}

# Mistake: a long-lived key for the CI account.
resource "google_service_account" "ci" {
  account_id = "ci"
}

resource "google_service_account_key" "ci" {
  service_account_id = google_service_account.ci.name
}

# Mistake: developers may act as any service account of the project.
resource "google_project_iam_binding" "developers" {
  project = "p"
  role    = "roles/iam.serviceAccountUser"
  members = ["group:developers@example.com"]
}

# Mistake: a built-in user with a password.
resource "google_sql_user" "app" {
  name     = "app"
  instance = google_sql_database_instance.main.name
  password = "change-me"
}
