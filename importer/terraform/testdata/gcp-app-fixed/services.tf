# The load balancer, messaging, cache, analytics, GKE and identities,
# corrected.

resource "google_compute_global_forwarding_rule" "web" {
  name                  = "fr-web"
  target                = google_compute_target_https_proxy.web.id
  port_range            = "443"
  load_balancing_scheme = "EXTERNAL_MANAGED"
}

resource "google_compute_ssl_policy" "modern" {
  name            = "modern"
  profile         = "MODERN"
  min_tls_version = "TLS_1_2"
}

resource "google_compute_target_https_proxy" "web" {
  name       = "proxy-web"
  url_map    = google_compute_url_map.web.id
  ssl_policy = google_compute_ssl_policy.modern.id
}

resource "google_compute_url_map" "web" {
  name            = "urlmap-web"
  default_service = google_compute_backend_service.web.id
}

resource "google_compute_security_policy" "web" {
  name = "armor-web"
}

resource "google_compute_backend_service" "web" {
  name                  = "bes-web"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  security_policy       = google_compute_security_policy.web.id
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

resource "google_pubsub_topic" "orders_dead" {
  name = "orders-dead"
}

resource "google_pubsub_topic_iam_member" "publishers" {
  topic  = google_pubsub_topic.orders.name
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:web@p.iam.gserviceaccount.com"
}

resource "google_pubsub_subscription" "orders" {
  name  = "orders-push"
  topic = google_pubsub_topic.orders.id
  push_config {
    push_endpoint = google_cloud_run_v2_service.web.uri
    oidc_token {
      service_account_email = "pusher@p.iam.gserviceaccount.com"
    }
  }
  dead_letter_policy {
    dead_letter_topic = google_pubsub_topic.orders_dead.id
  }
}

resource "google_pubsub_subscription" "orders_dead" {
  name  = "orders-dead-pull"
  topic = google_pubsub_topic.orders_dead.id
  dead_letter_policy {
    dead_letter_topic = google_pubsub_topic.orders.id
  }
}

resource "google_redis_instance" "cache" {
  name                    = "cache"
  memory_size_gb          = 1
  authorized_network      = google_compute_network.main.id
  auth_enabled            = true
  transit_encryption_mode = "SERVER_AUTHENTICATION"
}

resource "google_bigquery_dataset" "analytics" {
  dataset_id = "analytics"
  access {
    role           = "READER"
    group_by_email = "analysts@example.com"
  }
}

resource "google_container_cluster" "main" {
  name               = "gke-app"
  location           = var.region
  network            = google_compute_network.main.id
  subnetwork         = google_compute_subnetwork.app.id
  initial_node_count = 1
  private_cluster_config {
    enable_private_endpoint = true
    enable_private_nodes    = true
  }
  workload_identity_config {
    workload_pool = "p.svc.id.goog"
  }
}

resource "google_container_node_pool" "default" {
  name    = "default"
  cluster = google_container_cluster.main.id
  node_config {
    workload_metadata_config {
      mode = "GKE_METADATA"
    }
  }
}

# CI signs in with workload identity federation, without keys.
resource "google_service_account" "ci" {
  account_id = "ci"
}

resource "google_project_iam_binding" "developers" {
  project = "p"
  role    = "roles/run.developer"
  members = ["group:developers@example.com"]
}

resource "google_sql_user" "app" {
  name     = "app@p.iam"
  instance = google_sql_database_instance.main.name
  type     = "CLOUD_IAM_SERVICE_ACCOUNT"
}
